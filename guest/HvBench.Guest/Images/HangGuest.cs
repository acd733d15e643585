using HvBench.Guest.Runtime;

namespace HvBench.Guest.Images;

/// <summary>hang: VP0 prints a line and spins forever in <c>spin_forever</c> (other VPs idle); the run ends when its
/// timeout expires, reporting each VP's RIP, symbol and instruction.</summary>
public static class HangGuest
{
    /// <summary>Builds the image.</summary>
    public static byte[] Build()
    {
        var guest = new HypervGuest(maxVps: 2);
        var a = guest.Asm;
        guest.OnVp(0, () =>
        {
            guest.Console.Print("VP0: spinning forever\n");
            var spin = guest.Builder.Function("spin_forever");
            guest.Builder.Bind(ref spin);
            a.pause();
            a.jmp(spin);
        });
        return guest.Build();
    }
}

using HvBench.Guest.Runtime;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Guest.Images;

/// <summary>fault-divide: VP0 divides by zero in <c>divide_by_zero</c>; the exception handler reports #DE to the host
/// with the registers (RAX = 0x1234, RBX = 0xB0B, RCX = 0) and the run fails with the instruction and symbol.</summary>
public static class DivideByZeroGuest
{
    /// <summary>Builds the image.</summary>
    public static byte[] Build()
    {
        var guest = new HypervGuest(maxVps: 2);
        var a = guest.Asm;
        guest.OnVp(0, () =>
        {
            guest.Console.Print("VP0: dividing by zero\n");
            var divide = guest.Builder.Function("divide_by_zero");
            guest.Builder.Bind(ref divide);
            a.mov(eax, 0x1234);
            a.mov(ebx, 0xB0B);
            a.xor(edx, edx);
            a.xor(ecx, ecx);
            a.div(ecx);
            guest.Pass();                           // never reached
        });
        return guest.Build();
    }
}

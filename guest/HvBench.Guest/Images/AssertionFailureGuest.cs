using HvBench.Guest.Runtime;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Guest.Images;

/// <summary>assert-fail: VP0 reads its HV_X64_MSR_VP_INDEX and checks that it is <see cref="WrongIndex"/>, which it is
/// not: the check fails, and the host prints its message, its C# location and the guest instruction that checked.</summary>
public static class AssertionFailureGuest
{
    /// <summary>The message of the check that fails.</summary>
    public const string Message = "HV_X64_MSR_VP_INDEX of VP0 does not read 7";

    /// <summary>The index VP0's check expects.</summary>
    public const int WrongIndex = 7;

    /// <summary>Builds the image.</summary>
    public static byte[] Build()
    {
        var guest = new HypervGuest(maxVps: 2);
        guest.OnVp(0, () =>
        {
            guest.Console.Print("VP0: checking HV_X64_MSR_VP_INDEX\n");
            Msr.EmitRead(guest.Asm, Synic.VpIndexMsr);
            guest.Checks.AreEqual(rax, WrongIndex, Message);
            guest.Pass();                           // never reached
        });
        return guest.Build();
    }
}

namespace HvBench.Hyperv.Tests.Support;

/// <summary>The ways a guest can issue <c>HvCallSignalEvent</c>: convention × form.</summary>
public enum SignalForm
{
    /// <summary>TLFS, Fast = 1: RCX input value, RDX = the 8-byte block.</summary>
    TlfsFast,

    /// <summary>TLFS, Fast = 0: RCX input value, RDX = GPA of the 8-byte block.</summary>
    TlfsSlow,

    /// <summary>Design-card form: RAX = 0x5D, RBX = ConnectionId, RCX = FlagNumber.</summary>
    Rax,

    /// <summary>Design-card form with the Fast bit set in RAX (operands still in RBX, RCX).</summary>
    RaxFastBit,
}

/// <summary>Sources for parameterised fixtures.</summary>
internal static class Forms
{
    public static readonly SignalForm[] AllSignalForms = [SignalForm.TlfsFast, SignalForm.TlfsSlow, SignalForm.Rax, SignalForm.RaxFastBit];

    public static readonly HypercallConvention[] AllConventions = [HypercallConvention.Tlfs, HypercallConvention.Rax];

    public static HypercallConvention Convention(this SignalForm form) =>
        form is SignalForm.TlfsFast or SignalForm.TlfsSlow ? HypercallConvention.Tlfs : HypercallConvention.Rax;
}

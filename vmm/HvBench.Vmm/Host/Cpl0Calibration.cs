namespace HvBench.Vmm.Host;

/// <summary>What the calibration guest measured: a <c>dec ecx; jnz</c> loop at CPL 0, timed with <c>lfence; rdtsc</c>
/// in the guest, and KVM's <c>insn_emulation</c> counter before and after (host-kvm.md).</summary>
/// <param name="Iterations">Loop iterations (two instructions each).</param>
/// <param name="Cycles">TSC cycles the loop took, as the guest measured them.</param>
/// <param name="NanosecondsPerIteration">Cycles per iteration converted with the TSC frequency (or the host's clock
/// when KVM does not report it).</param>
/// <param name="InstructionsEmulated">How much the vCPU's <c>insn_emulation</c> stat grew over the run, or null
/// where KVM has no binary stats.</param>
public sealed record Cpl0Calibration(int Iterations, ulong Cycles, double NanosecondsPerIteration, ulong? InstructionsEmulated)
{
    /// <summary>Above this many nanoseconds per iteration the loop was emulated: native is under 1 ns, KVM's
    /// instruction emulator about 1000 (two instructions at about 530 ns, host-kvm.md).</summary>
    public const double EmulatedAboveNanoseconds = 20;

    /// <summary>True when guest CPL 0 runs in KVM's instruction emulator: the stat counted at least one emulated
    /// instruction per iteration, or (without the stat) an iteration took more than <see cref="EmulatedAboveNanoseconds"/>.</summary>
    public bool Emulated => InstructionsEmulated is { } emulated ? emulated >= (ulong)Iterations : NanosecondsPerIteration > EmulatedAboveNanoseconds;
}

namespace HvBench.Cli.Json;

/// <summary>How guest CPL 0 runs here, as the calibration guest measured it.</summary>
internal sealed record Cpl0Document
{
    /// <summary>True when KVM's instruction emulator runs it; null when not measured.</summary>
    public required bool? Emulated { get; init; }

    /// <summary>Iterations of the calibration loop (two instructions each).</summary>
    public required int? Iterations { get; init; }

    /// <summary>TSC cycles the loop took in the guest.</summary>
    public required ulong? Cycles { get; init; }

    /// <summary>Nanoseconds per iteration.</summary>
    public required double? NsPerIteration { get; init; }

    /// <summary>Growth of the vCPU's insn_emulation stat, or null without binary stats.</summary>
    public required ulong? InstructionsEmulated { get; init; }

    /// <summary>Why there is no measurement, or null.</summary>
    public required string? Problem { get; init; }
}

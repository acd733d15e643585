namespace HvBench.Cli.Json;

/// <summary>The run's counters (RunStatistics).</summary>
internal sealed record CountersDocument
{
    /// <summary>Exits of every VP by reason (Io, X86Wrmsr, Debug, Interrupted, …); reasons with none are left out.</summary>
    public required IReadOnlyDictionary<string, long> Exits { get; init; }

    /// <summary>Exits per VP.</summary>
    public required IReadOnlyList<VpExitsDocument> ExitsByVp { get; init; }

    /// <summary>Hypercalls of every status.</summary>
    public required long Hypercalls { get; init; }

    /// <summary>Hypercalls by HV_STATUS name.</summary>
    public required IReadOnlyDictionary<string, long> HypercallsByStatus { get; init; }

    /// <summary>SINTs the model asserted.</summary>
    public required long SintsAsserted { get; init; }

    /// <summary>SINT MSIs KVM delivered.</summary>
    public required long SintsDelivered { get; init; }

    /// <summary>SINT MSIs KVM refused (e.g. the target LAPIC was software-disabled).</summary>
    public required long SintsNotDelivered { get; init; }

    /// <summary>ISR bits the VMM cleared to emulate auto-EOI.</summary>
    public required long AutoEoiIsrBitsCleared { get; init; }

    /// <summary>Synthetic MSR accesses answered with #GP.</summary>
    public required long MsrFaults { get; init; }

    /// <summary>Port reads no device claimed.</summary>
    public required long UnclaimedPortReads { get; init; }

    /// <summary>Port writes no device claimed.</summary>
    public required long UnclaimedPortWrites { get; init; }
}

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

    /// <summary>MSR accesses HvBench answered with #GP: synthetic ones the model refused, and unknown ones where KVM hands them over.</summary>
    public required long MsrFaults { get; init; }

    /// <summary>Successful HvSignalEvent calls whose flag was dropped: the target's SIEF page lies outside RAM.</summary>
    public required long FlagsDroppedOutsideRam { get; init; }

    /// <summary>Accepted messages that were dropped: the target's SIM page lies outside RAM.</summary>
    public required long MessagesDroppedOutsideRam { get; init; }

    /// <summary>Port reads no device claimed.</summary>
    public required long UnclaimedPortReads { get; init; }

    /// <summary>Port writes no device claimed.</summary>
    public required long UnclaimedPortWrites { get; init; }

    /// <summary>MMIO reads of addresses with no device.</summary>
    public required long UnclaimedMmioReads { get; init; }

    /// <summary>MMIO writes to addresses with no device.</summary>
    public required long UnclaimedMmioWrites { get; init; }
}

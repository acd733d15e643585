namespace HvBench.Cli.Json;

/// <summary><c>hvbench run --json</c>: the whole run as one document (README.md, "Results as JSON").</summary>
internal sealed record RunDocument
{
    /// <summary>"PASS", or "FAIL: reason".</summary>
    public required string Verdict { get; init; }

    /// <summary>pass, guestFailed, guestFault, allHalted, timedOut, cancelled, hostError.</summary>
    public required string Outcome { get; init; }

    /// <summary>The exit status hvbench ends with.</summary>
    public required int ExitCode { get; init; }

    /// <summary>What the guest wrote to port 0xF4, or null when it did not.</summary>
    public required uint? GuestExitCode { get; init; }

    /// <summary>Why the run ended.</summary>
    public required string Reason { get; init; }

    /// <summary>The guest's console text (every partition's, with a header per partition when there are several).</summary>
    public required string Console { get; init; }

    /// <summary>How long it ran.</summary>
    public required TimingsDocument Timings { get; init; }

    /// <summary>What ran: image, scenario, partitions.</summary>
    public required SetupDocument Setup { get; init; }

    /// <summary>Exits, hypercalls, SINTs.</summary>
    public required CountersDocument Counters { get; init; }

    /// <summary>The guest's results buffer (docs/guest-abi.md), or null when it has none or did not mark it valid.</summary>
    public required ResultsDocument? Results { get; init; }

    /// <summary>Every VP's registers when the run did not pass (except a non-zero exit code); for a failed check, its VP's
    /// registers when it reported it; else null.</summary>
    public required IReadOnlyList<RegistersDocument>? Registers { get; init; }

    /// <summary>The scenario's warnings.</summary>
    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>Trace bookkeeping when --trace or --trace-file was given; else null.</summary>
    public required TraceSummaryDocument? Trace { get; init; }
}

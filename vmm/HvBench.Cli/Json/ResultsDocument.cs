namespace HvBench.Cli.Json;

/// <summary>The guest's results buffer (docs/guest-abi.md, "Results buffer").</summary>
internal sealed record ResultsDocument
{
    /// <summary>Counters 0 … 15.</summary>
    public required IReadOnlyList<ulong> Counters { get; init; }

    /// <summary>The samples, as many as the guest wrote and the buffer holds.</summary>
    public required IReadOnlyList<ulong> Samples { get; init; }
}

namespace HvBench.Cli.Json;

/// <summary>What tracing kept.</summary>
internal sealed record TraceSummaryDocument
{
    /// <summary>Events kept.</summary>
    public required int Events { get; init; }

    /// <summary>Events that did not fit the buffer.</summary>
    public required long Dropped { get; init; }

    /// <summary>The --trace-file written, or null.</summary>
    public required string? File { get; init; }
}

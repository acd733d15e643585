namespace HvBench.Cli.Json;

/// <summary>What a run booted.</summary>
internal sealed record SetupDocument
{
    /// <summary>The run's IMAGE as given.</summary>
    public required string Image { get; init; }

    /// <summary>The scenario file as given, or null.</summary>
    public required string? Scenario { get; init; }

    /// <summary>One entry per partition.</summary>
    public required IReadOnlyList<PartitionDocument> Partitions { get; init; }
}

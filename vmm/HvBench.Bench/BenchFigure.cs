using HvBench.Guest.Images.Bench;

namespace HvBench.Bench;

/// <summary>One figure of <c>hvbench bench</c>: what is measured, on which machine, by which guest step and series, and
/// the floor it is compared with.</summary>
public sealed record BenchFigure
{
    /// <summary>Stable id, used in JSON, CSV, file names and <c>--figures</c>: <c>signal-round-trip.tlfs.page</c>.</summary>
    public required string Id { get; init; }

    /// <summary>One line for tables and plot titles.</summary>
    public required string Title { get; init; }

    /// <summary>The figure this one is compared with (ratio and difference), measured in the same run; null for the
    /// timing overhead, the lowest floor.</summary>
    public string? FloorId { get; init; }

    /// <summary>How this figure relates to its floor.</summary>
    public FloorRelation Relation { get; init; } = FloorRelation.Contains;

    /// <summary>The machine whose guest measures it.</summary>
    public required BenchMachineKey Machine { get; init; }

    /// <summary>The guest step that measures it.</summary>
    public required BenchStep Step { get; init; }

    /// <summary>0 for the step's own series (VP0's view), 1 for its second (VP1's handler).</summary>
    public int SeriesInStep { get; init; }

    /// <summary>True for the free-running stream: the samples are intervals between completions, and the report adds
    /// signals per second.</summary>
    public bool IsThroughput => Step.Kind == BenchStepKind.SignalThroughput;
}

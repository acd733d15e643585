namespace HvBench.Bench;

/// <summary>How a figure relates to its floor: what the short-bench test may assert about their order.</summary>
public enum FloorRelation
{
    /// <summary>The figure's path contains the floor's and does clearly more (a signal contains a null hypercall plus
    /// the lookup, the atomic OR and the MSI): its median must be above the floor's.</summary>
    Contains,

    /// <summary>The path contains the floor's but adds only a little host work (a flag already set, a masked SINT):
    /// the medians may be within noise of each other.</summary>
    Near,

    /// <summary>A reference point, not a part: the one-way latency overlaps the caller's exit and can be shorter than the
    /// caller's round trip.</summary>
    Compare,
}

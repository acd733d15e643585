namespace HvBench.Cli.Json;

/// <summary>The hypercall intercept chosen by probing.</summary>
internal sealed record InterceptDocument
{
    /// <summary>xen or breakpoint, or null when there is none.</summary>
    public required string? Strategy { get; init; }

    /// <summary>Direct VMCALL sites an image may have: a number, null for no limit (xen), 0 without an intercept.</summary>
    public required int? DirectVmcallSites { get; init; }

    /// <summary>Why there is no intercept, or null.</summary>
    public required string? Problem { get; init; }
}

namespace HvBench.Cli.Json;

/// <summary>How long a run took and could take.</summary>
internal sealed record TimingsDocument
{
    /// <summary>Wall-clock time from the first VP's start to the verdict, in milliseconds.</summary>
    public required double ElapsedMs { get; init; }

    /// <summary>The run's timeout, in milliseconds.</summary>
    public required double TimeoutMs { get; init; }
}

namespace HvBench.Cli.Json;

/// <summary>Something that will not work here, and why.</summary>
internal sealed record LimitationDocument
{
    /// <summary>What a user meets.</summary>
    public required string What { get; init; }

    /// <summary>The host fact behind it.</summary>
    public required string Why { get; init; }
}

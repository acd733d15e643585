namespace HvBench.Cli.Json;

/// <summary>One VP's exits by reason.</summary>
internal sealed record VpExitsDocument
{
    /// <summary>Partition id.</summary>
    public required ulong Partition { get; init; }

    /// <summary>VP index.</summary>
    public required int Vp { get; init; }

    /// <summary>Exits by reason; reasons with none are left out.</summary>
    public required IReadOnlyDictionary<string, long> Exits { get; init; }
}

namespace HvBench.Vmm.Configuration.Json;

/// <summary>An entry of <c>partitions</c> (the multi-partition extension) as written.</summary>
internal sealed class PartitionDocument
{
    public required long? Id { get; init; }

    public long? Vcpus { get; init; }

    public string? Memory { get; init; }

    public string? Image { get; init; }

    public HypervDocument? Hyperv { get; init; }
}

namespace HvBench.Vmm.Configuration;

/// <summary>One partition of a scenario: a VM with its own VPs, RAM, image and Hyper-V set-up.</summary>
public sealed record PartitionSetup
{
    /// <summary>Partition id, 1 … N for a scenario of N partitions; connections name it in <c>partition</c>.</summary>
    public required int Id { get; init; }

    /// <summary>Number of virtual processors.</summary>
    public int Vcpus { get; init; } = ScenarioDefaults.Vcpus;

    /// <summary>Guest RAM in bytes.</summary>
    public ulong MemoryBytes { get; init; } = ScenarioDefaults.MemoryBytes;

    /// <summary>Full path of the image this partition boots, or null for the run's IMAGE.</summary>
    public string? Image { get; init; }

    /// <summary>The partition's Hyper-V set-up.</summary>
    public HypervSetup Hyperv { get; init; } = new();
}

namespace HvBench.Vmm.Configuration;

/// <summary>
/// A validated HvBench scenario (docs/scenario.md): how the machine and its Hyper-V partitions are set up for one run.
/// Build it with <see cref="ScenarioParser"/>, or in code; the VMM should read <see cref="EffectivePartitions"/>,
/// which treats the single-partition form as partition 1.
/// </summary>
public sealed record Scenario
{
    /// <summary>The file name that messages and <see cref="Warnings"/> start with.</summary>
    public string SourceName { get; init; } = "scenario";

    /// <summary>Virtual processors of the single-partition form (with <see cref="Partitions"/> it keeps its default and is unused).</summary>
    public int Vcpus { get; init; } = ScenarioDefaults.Vcpus;

    /// <summary>Guest RAM in bytes of the single-partition form (with <see cref="Partitions"/> it keeps its default and is unused).</summary>
    public ulong MemoryBytes { get; init; } = ScenarioDefaults.MemoryBytes;

    /// <summary>Wall-clock limit of the whole run.</summary>
    public TimeSpan Timeout { get; init; } = ScenarioDefaults.Timeout;

    /// <summary>Hyper-V set-up of the single-partition form (with <see cref="Partitions"/> it keeps its default and is unused).</summary>
    public HypervSetup Hyperv { get; init; } = new();

    /// <summary>The partitions of the multi-partition form in file order, or null for the single-partition form.</summary>
    public IReadOnlyList<PartitionSetup>? Partitions { get; init; }

    /// <summary>The partitions to build: <see cref="Partitions"/>, or for the single-partition form one partition with id 1.</summary>
    public IReadOnlyList<PartitionSetup> EffectivePartitions =>
        Partitions ?? [new PartitionSetup { Id = 1, Vcpus = Vcpus, MemoryBytes = MemoryBytes, Hyperv = Hyperv }];

    /// <summary>One-line notes on allowed but suspicious set-ups (a port's VP or a connection's port is missing), computed from the current values.</summary>
    public IReadOnlyList<string> Warnings => ScenarioWarnings.Collect(this);
}

namespace HvBench.Vmm.Configuration;

/// <summary>The value of each scenario field that a file leaves out (the defaults table of docs/scenario.md).</summary>
public static class ScenarioDefaults
{
    /// <summary>Virtual processors per partition.</summary>
    public const int Vcpus = 1;

    /// <summary>Guest RAM per partition, in bytes (64 MiB).</summary>
    public const ulong MemoryBytes = 64UL << 20;

    /// <summary>Wall-clock limit of a run.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Hypercall register convention.</summary>
    public const HypercallConvention Convention = HypercallConvention.Tlfs;

    /// <summary>Status profile of HvSignalEvent and HvPostMessage.</summary>
    public const StatusProfile StatusProfile = HvBench.Hyperv.StatusProfile.Tlfs;

    /// <summary>Partition privileges: <c>SignalEvents</c> and <c>PostMessages</c>.</summary>
    public const PartitionPrivileges Privileges = PartitionPrivileges.SignalEvents | PartitionPrivileges.PostMessages;

    /// <summary>First SIEF flag of an event port.</summary>
    public const ushort BaseFlagNumber = 0;

    /// <summary>Number of SIEF flags of an event port.</summary>
    public const ushort FlagCount = 1;
}

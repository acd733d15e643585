namespace HvBench.Vmm.Configuration;

/// <summary>The Hyper-V set-up of one partition: register convention, privileges, the ports it owns and its connections.</summary>
public sealed record HypervSetup
{
    /// <summary>Hypercall register convention of the partition's guests.</summary>
    public HypercallConvention Convention { get; init; } = ScenarioDefaults.Convention;

    /// <summary>Which statuses the partition's HvSignalEvent and HvPostMessage answer with.</summary>
    public StatusProfile StatusProfile { get; init; } = ScenarioDefaults.StatusProfile;

    /// <summary>The partition's privilege flags (<c>HV_PARTITION_PRIVILEGE_MASK</c>).</summary>
    public PartitionPrivileges Privileges { get; init; } = ScenarioDefaults.Privileges;

    /// <summary>The privilege mask as CPUID 0x40000003 reports it: EAX in bits 0..31, EBX in bits 32..63.</summary>
    public ulong PrivilegeMask => (ulong)Privileges;

    /// <summary>Ports owned by the partition, in file order.</summary>
    public IReadOnlyList<PortSetup> Ports { get; init; } = [];

    /// <summary>Connections owned by the partition (it sends through them), in file order.</summary>
    public IReadOnlyList<ConnectionSetup> Connections { get; init; } = [];
}

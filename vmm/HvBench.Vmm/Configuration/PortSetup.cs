namespace HvBench.Vmm.Configuration;

/// <summary>A port owned by a partition, the receiving end of a connection (<c>HV_PORT_INFO</c>, tlfs.md section 5).</summary>
public sealed record PortSetup
{
    /// <summary>Port id (<c>HV_PORT_ID</c>), 1 … 0xFFFFFF, unique within the owning partition.</summary>
    public required uint Id { get; init; }

    /// <summary>Whether the port takes events (HvSignalEvent) or messages (HvPostMessage).</summary>
    public required PortType Type { get; init; }

    /// <summary>Index of the VP that receives the event or message; it may name a VP that does not exist (the scenario
    /// warns); <see cref="HvBench.Hyperv.Port.AnyVp"/> (HV_ANY_VP, <c>"targetVp": 4294967295</c>) for an event port.</summary>
    public required int TargetVp { get; init; }

    /// <summary>Synthetic interrupt source that is signalled, 0 … 15.</summary>
    public required int TargetSint { get; init; }

    /// <summary>Event ports: first flag of the port within the SINT's 2048 SIEF flags (the parser gives message ports 0).</summary>
    public ushort BaseFlagNumber { get; init; } = ScenarioDefaults.BaseFlagNumber;

    /// <summary>Event ports: number of flags, 1 … 2048 − <see cref="BaseFlagNumber"/> (the parser gives message ports 0).</summary>
    public ushort FlagCount { get; init; } = ScenarioDefaults.FlagCount;
}

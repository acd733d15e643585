namespace HvBench.Vmm.Configuration;

/// <summary>A connection owned by a sending partition, bound to one port (<c>HV_CONNECTION_ID</c>, tlfs.md section 5).</summary>
public sealed record ConnectionSetup
{
    /// <summary>Connection id (<c>HV_CONNECTION_ID</c>), 1 … 0xFFFFFF, unique within the sending partition: what the guest passes.</summary>
    public required uint Id { get; init; }

    /// <summary>Id of the port it connects to; a port that does not exist is allowed (the scenario warns).</summary>
    public required uint Port { get; init; }

    /// <summary>Id of the partition that owns <see cref="Port"/>, or null for the connection's own partition.</summary>
    public int? PortPartition { get; init; }

    /// <summary>The id of the partition that owns the port, given the id of the partition this connection belongs to.</summary>
    public int PortPartitionFor(int ownPartitionId) => PortPartition ?? ownPartitionId;
}

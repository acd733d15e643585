namespace HvBench.Hyperv;

/// <summary>A connection: the sending end of a one-way channel, owned by the sending partition (tlfs.md section 5).</summary>
/// <remarks>It names its port by partition and id; the port is looked up at call time, so a connection whose port was
/// removed stays but is stale (<c>HV_STATUS_INVALID_PORT_ID</c>).</remarks>
public sealed class Connection
{
    /// <summary>Largest connection id (<c>HV_CONNECTION_ID</c> is 24 bits).</summary>
    public const uint MaxId = 0x00FFFFFF;

    internal Connection(uint connectionId, Partition portPartition, uint portId)
    {
        ConnectionId = connectionId;
        PortPartition = portPartition;
        PortId = portId;
    }

    /// <summary>The id the guest passes, unique within the sending partition.</summary>
    public uint ConnectionId { get; }

    /// <summary>The partition that owns the port (may be the sender itself).</summary>
    public Partition PortPartition { get; }

    /// <summary>The port id within <see cref="PortPartition"/>.</summary>
    public uint PortId { get; }
}

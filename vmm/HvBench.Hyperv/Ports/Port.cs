namespace HvBench.Hyperv;

/// <summary>A port: the receiving end of a one-way channel, owned by the partition that receives (tlfs.md section 5).</summary>
/// <remarks>Ports are immutable once added; <see cref="Partition.RemovePort"/> deletes them. Ids are 24-bit
/// (<c>HV_PORT_ID</c> bits 31:24 are reserved).</remarks>
public abstract class Port
{
    /// <summary>Largest port id (<c>HV_PORT_ID</c> is 24 bits).</summary>
    public const uint MaxId = 0x00FFFFFF;

    /// <summary><c>HV_ANY_VP</c> (0xFFFFFFFF in the TLFS) as a <see cref="TargetVp"/>: an event port whose flags go to
    /// any VP of the owner whose SynIC and SIEF page are enabled (the lowest such index here); event ports only.</summary>
    public const int AnyVp = -1;

    private protected Port(Partition owner, uint portId, int targetVp, int targetSint)
    {
        Owner = owner;
        PortId = portId;
        TargetVp = targetVp;
        TargetSint = targetSint;
    }

    /// <summary>The partition that owns (receives through) this port.</summary>
    public Partition Owner { get; }

    /// <summary>The port id, unique within <see cref="Owner"/>.</summary>
    public uint PortId { get; }

    /// <summary>The VP index that receives; may be beyond the partition's VPs (then calls return
    /// <c>HV_STATUS_INVALID_VP_INDEX</c>), or <see cref="AnyVp"/> for an event port.</summary>
    public int TargetVp { get; }

    /// <summary>The SINT (0..15) that receives.</summary>
    public int TargetSint { get; }

    /// <summary>The port type.</summary>
    public abstract HvPortType Type { get; }
}

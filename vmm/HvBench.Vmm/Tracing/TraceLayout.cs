namespace HvBench.Vmm.Tracing;

/// <summary>The partitions and VPs of a traced run, for naming tracks and hypercall inputs after the run.</summary>
public sealed record TraceLayout(IReadOnlyList<TracePartition> Partitions)
{
    /// <summary>The layout of machines that ran together.</summary>
    public static TraceLayout Of(IEnumerable<Machine> machines)
    {
        var partitions = new List<TracePartition>();
        foreach (Machine machine in machines)
            partitions.Add(new TracePartition(machine.Config.PartitionId, machine.Config.VcpuCount, machine.Config.Convention, machine.Config.Image.Symbols));
        return new TraceLayout(partitions);
    }

    /// <summary>More than one partition: VPs are named with their partition (<c>P2 VP0</c>).</summary>
    public bool IsMultiPartition => Partitions.Count > 1;

    /// <summary>The convention of partition <paramref name="id"/> (TLFS for an unknown id).</summary>
    public HypercallConvention ConventionOf(ulong id)
    {
        foreach (TracePartition partition in Partitions)
            if (partition.Id == id) return partition.Convention;
        return HypercallConvention.Tlfs;
    }

    /// <summary>The symbol covering <paramref name="address"/> in partition <paramref name="id"/>'s image
    /// (<c>name</c> or <c>name+0x12</c>), or null when none does.</summary>
    public string? SymbolAt(ulong id, ulong address)
    {
        foreach (TracePartition partition in Partitions)
        {
            if (partition.Id != id) continue;
            if (partition.Symbols is not { } symbols || !symbols.TryFind(address, out string? name, out ulong offset)) return null;
            return offset == 0 ? name : $"{name}+0x{offset:x}";
        }

        return null;
    }

    /// <summary>How reports name a VP: <c>VP1</c>, or <c>P2 VP1</c> in a multi-partition run.</summary>
    public string VpName(ulong partition, int vp) => IsMultiPartition ? $"P{partition} VP{vp}" : $"VP{vp}";
}

using HvBench.Hyperv;
using HvBench.Kvm;

namespace HvBench.Vmm;

/// <summary>Counters of a run: exits by reason per VP, unclaimed port accesses, hypercalls by status, SINTs.</summary>
public sealed class RunStatistics
{
    /// <summary>Slots of the per-VP exit counter arrays: KVM exit reasons below 63, and 63 for Interrupted.</summary>
    public const int ReasonSlots = 64;

    private RunStatistics(long[][] exitsByVp, long[] allocated)
    {
        ExitsByVp = exitsByVp;
        SteadyStateAllocatedBytes = allocated;
    }

    internal static RunStatistics Collect(IReadOnlyList<Machine> machines, IReadOnlyList<VcpuRunner> runners)
    {
        var statistics = new RunStatistics(
            runners.Select(r => (long[])r.Exits.Clone()).ToArray(),
            runners.Select(r => r.SteadyStateAllocatedBytes).ToArray());
        foreach (Machine machine in machines)
        {
            statistics.UnclaimedPortReads += machine.Ports.UnclaimedReads;
            statistics.UnclaimedPortWrites += machine.Ports.UnclaimedWrites;
            statistics.UnclaimedMmioReads += machine.Mmio.UnclaimedReads;
            statistics.UnclaimedMmioWrites += machine.Mmio.UnclaimedWrites;
            statistics.SintsAsserted += machine.Hyperv.SintAssertionCount;
            statistics.SintsNotDelivered += machine.Sints.NotDelivered;
            statistics.AutoEoiIsrBitsCleared += machine.AutoEoi.ClearedIsrBits;
            statistics.MsrFaults += machine.Hyperv.MsrFaultCount;
            statistics.FlagsDroppedOutsideRam += machine.Hyperv.DroppedFlagCount;
            statistics.MessagesDroppedOutsideRam += machine.Hyperv.DroppedMessageCount;
            foreach (HvStatus status in HvStatus.All)
            {
                long count = machine.Hyperv.GetHypercallCount(status);
                if (count == 0) continue;
                statistics.HypercallsByStatus[status.Name] = statistics.HypercallsByStatus.GetValueOrDefault(status.Name) + count;
            }
        }
        return statistics;
    }

    /// <summary>Exits per VP (partitions in order), indexed by <see cref="SlotOf"/>.</summary>
    public long[][] ExitsByVp { get; }

    /// <summary>Per VP: bytes its thread allocated in the exit loop after warm-up (-1 when the run was too short).</summary>
    public long[] SteadyStateAllocatedBytes { get; }

    /// <summary>Port reads that reached no device (they return all ones).</summary>
    public long UnclaimedPortReads { get; private set; }

    /// <summary>Port writes that reached no device (ignored).</summary>
    public long UnclaimedPortWrites { get; private set; }

    /// <summary>MMIO reads of addresses with no device (they read all ones).</summary>
    public long UnclaimedMmioReads { get; private set; }

    /// <summary>MMIO writes to addresses with no device (dropped).</summary>
    public long UnclaimedMmioWrites { get; private set; }

    /// <summary>Hypercalls by HV_STATUS name (e.g. <c>HV_STATUS_SUCCESS</c>).</summary>
    public Dictionary<string, long> HypercallsByStatus { get; } = [];

    /// <summary>Total hypercalls.</summary>
    public long Hypercalls => HypercallsByStatus.Values.Sum();

    /// <summary>SINTs the model asserted (each one an MSI to the target's LAPIC).</summary>
    public long SintsAsserted { get; private set; }

    /// <summary>SINT MSIs KVM did not deliver (the target LAPIC refused them, e.g. software-disabled).</summary>
    public long SintsNotDelivered { get; private set; }

    /// <summary>ISR bits the VMM cleared to emulate auto-EOI.</summary>
    public long AutoEoiIsrBitsCleared { get; private set; }

    /// <summary>MSR accesses HvBench answered with #GP: synthetic ones the model refused, and unknown ones where KVM hands them over.</summary>
    public long MsrFaults { get; private set; }

    /// <summary>Successful HvSignalEvent calls whose flag was dropped: the target's SIEF page lies outside RAM.</summary>
    public long FlagsDroppedOutsideRam { get; private set; }

    /// <summary>Accepted messages that were dropped: the target's SIM page lies outside RAM.</summary>
    public long MessagesDroppedOutsideRam { get; private set; }

    /// <summary>The counter slot of an exit reason.</summary>
    public static int SlotOf(VcpuExitReason reason) => (uint)reason < ReasonSlots - 1 ? (int)reason : ReasonSlots - 1;

    /// <summary>The exit reason counted in a slot.</summary>
    public static VcpuExitReason ReasonOf(int slot) => slot == ReasonSlots - 1 ? VcpuExitReason.Interrupted : (VcpuExitReason)slot;

    /// <summary>Total exits of one reason over all VPs.</summary>
    public long Total(VcpuExitReason reason)
    {
        long total = 0;
        foreach (long[] counts in ExitsByVp) total += counts[SlotOf(reason)];
        return total;
    }

    /// <summary>Non-zero totals by reason, for summaries.</summary>
    public IEnumerable<(VcpuExitReason Reason, long Count)> Totals()
    {
        for (int slot = 0; slot < ReasonSlots; slot++)
        {
            long total = 0;
            foreach (long[] counts in ExitsByVp) total += counts[slot];
            if (total > 0) yield return (ReasonOf(slot), total);
        }
    }
}

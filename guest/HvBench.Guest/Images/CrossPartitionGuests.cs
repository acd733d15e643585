using HvBench.Guest.Runtime;

namespace HvBench.Guest.Images;

/// <summary>Two guests for a two-partition run: the sender (partition 1) signals connection 7, which targets event port 1
/// owned by partition 2; the receiver (partition 2) takes SINT2 on its VP0 and ends the run with PASS.</summary>
public static class CrossPartitionGuests
{
    /// <summary>The receiver's SINT2 vector.</summary>
    public const byte SintVector = 0x50;

    /// <summary>The connection to the other partition's port 1.</summary>
    private const uint ConnectionId = 7;

    /// <summary>HV_STATUS_INVALID_SYNIC_STATE: what a signal gets while the target's SynIC is not up yet.</summary>
    private const ushort InvalidSynicState = 0x18;

    /// <summary>The sender: enables the hypercall page and signals connection 7 until the receiver's SynIC is up
    /// (HV_STATUS_INVALID_SYNIC_STATE until then), then halts with interrupts on.</summary>
    public static byte[] BuildSender()
    {
        var guest = new HypervGuest(maxVps: 1);
        guest.OnVp(0, () =>
        {
            guest.Synic.EmitEnableHypercallPage();
            EmitSignalUntilTheTargetIsUp(guest, "signal_until_delivered", "the cross-partition HvSignalEvent failed");
            guest.Console.Print("partition 1: HvSignalEvent to partition 2's port: SUCCESS\n");
        });
        return guest.Build();
    }

    /// <summary>The guest of examples/two-partitions.json, the same image in both partitions: VP0 of each sets up SINT2,
    /// signals connection 7 (the other partition's port 1) until the other side's SynIC is up, waits for the other
    /// side's signal and ends the run with PASS. Whichever partition gets there first has both sent and received.</summary>
    public static byte[] BuildSymmetric()
    {
        var guest = new HypervGuest(maxVps: 1);
        ulong received = guest.Flag("signals_received");
        guest.OnInterrupt(SintVector, "sint2_handler", () => guest.Increment(received));
        guest.OnVp(0, () =>
        {
            guest.Synic.EmitEnableHypercallPage();
            guest.Synic.EmitEnable(guest.VpIndex);
            guest.Synic.EmitSetSint(2, SintVector);
            guest.Asm.sti();
            EmitSignalUntilTheTargetIsUp(guest, "signal_the_other_partition", "HvSignalEvent to the other partition failed");
            guest.WaitFlag(received);
            guest.Console.Print("signalled the other partition and took its SINT2\n");
            guest.Pass();
        });
        return guest.Build();
    }

    /// <summary>The receiver: SynIC with SINT2, halts; its handler checks the SIEF flag and ends the run.</summary>
    public static byte[] BuildReceiver()
    {
        var guest = new HypervGuest(maxVps: 1);
        guest.OnInterrupt(SintVector, "sint2_handler", () =>
        {
            guest.Checks.BitIsSet(guest.Synic.SiefSlot(vp: 0, sint: 2), bit: 0, "partition 2's SINT2 arrived without flag 0 in its SIEF page");
            guest.Console.Print("partition 2: SINT2 with flag 0 set in the SIEF page\n");
            guest.Pass();
        });
        guest.OnVp(0, () =>
        {
            guest.Synic.EmitEnable(guest.VpIndex);
            guest.Synic.EmitSetSint(2, SintVector);
        });
        return guest.Build();
    }

    /// <summary>Signals connection 7 from the loop <paramref name="loopName"/>, after a short pause each time, while the
    /// other partition's SynIC is not up (HV_STATUS_INVALID_SYNIC_STATE); any other status but success fails the check
    /// <paramref name="failure"/>.</summary>
    private static void EmitSignalUntilTheTargetIsUp(HypervGuest guest, string loopName, string failure)
    {
        var a = guest.Asm;
        var retry = guest.Builder.Function(loopName);
        guest.Builder.Bind(ref retry);
        guest.Sync.EmitDelay(200);
        guest.Hypercalls.EmitSignalEvent(Convention.Tlfs, ConnectionId, 0);
        a.cmp(guest.HypercallStatus, InvalidSynicState);
        a.je(retry);
        guest.Checks.IsZero(guest.HypercallStatus, failure);
    }
}

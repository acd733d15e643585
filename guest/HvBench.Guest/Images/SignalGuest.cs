using HvBench.Guest.Runtime;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Guest.Images;

/// <summary>signal: the HvSignalEvent path end to end on two VPs. VP1 enables its SynIC (SIEF page, SINT2 = vector
/// 0x50) and halts; VP0 enables the hypercall page and signals connection 7 (flag 0) three times: the first wakes VP1,
/// whose handler sees the flag in its SIEF page; the second finds the flag still set and raises no interrupt (TLFS:
/// only 0→1 asserts); an IPI then makes VP1 clear the flag, and the third signal interrupts VP1 again.
/// Scenario: port 1 = event port on VP1, SINT2, flags 0..63; connection 7 → port 1 (examples/signal.json).</summary>
public static class SignalGuest
{
    /// <summary>The SINT vector VP1 uses.</summary>
    public const byte SintVector = 0x50;
    /// <summary>The IPI vector that asks VP1 to clear the flag.</summary>
    public const byte ClearVector = 0x51;
    /// <summary>The connection the scenario defines.</summary>
    public const uint ConnectionId = 7;

    /// <summary>Builds the guest for <paramref name="convention"/> and <paramref name="route"/>.</summary>
    public static byte[] Build(Convention convention = Convention.Tlfs, HypercallRoute route = HypercallRoute.Page)
    {
        var guest = new HypervGuest(maxVps: 2);
        var a = guest.Asm;
        ulong ready = guest.Flag("vp1_ready");
        ulong interrupts = guest.Flag("sint_interrupts");
        ulong flagSeen = guest.Flag("flag_seen_in_handler");
        ulong cleared = guest.Flag("flag_cleared");
        ulong vp1Slot = guest.Synic.SiefSlot(vp: 1, sint: 2);

        // SINT2: count, and note whether flag 0 is set (the handler leaves it set).
        guest.OnInterrupt(SintVector, "sint2_handler", () =>
        {
            var noFlag = a.CreateLabel();
            a.mov(rdx, vp1Slot);
            a.test(__byte_ptr[rdx], 1);
            a.jz(noFlag);
            guest.Increment(flagSeen);
            a.Label(ref noFlag);
            guest.Increment(interrupts);
        });

        // The clear IPI: VP1 clears flag 0 of its SINT2 slot (the receiver owns its SIEF page).
        guest.OnInterrupt(ClearVector, "clear_ipi_handler", () =>
        {
            a.mov(rax, vp1Slot);
            a.@lock.btr(__qword_ptr[rax], 0);
            guest.Increment(cleared);
        });

        guest.OnVp(1, () =>
        {
            guest.Synic.EmitEnable(guest.VpIndex);
            guest.Synic.EmitSetSint(2, SintVector);
            guest.SetFlag(ready);
        }, "vp1_receiver");                             // then VP1 idles with interrupts on

        guest.OnVp(0, () =>
        {
            guest.Synic.EmitEnableHypercallPage();
            guest.WaitFlag(ready);
            guest.Console.Print("VP0: VP1 is halted; HvSignalEvent(7, 0)\n");
            guest.Hypercalls.EmitSignalEvent(convention, ConnectionId, 0, route);
            guest.Checks.IsZero(guest.HypercallStatus, "first HvSignalEvent did not return HV_STATUS_SUCCESS");
            guest.WaitFlag(interrupts);
            guest.Checks.AreEqual(flagSeen, 1, "VP1's handler did not see flag 0 in its SIEF slot of SINT2");
            guest.Console.Print("VP1: SINT2 handler saw flag 0 set in its SIEF page\n");

            guest.Hypercalls.EmitSignalEvent(convention, ConnectionId, 0, route);
            guest.Checks.IsZero(guest.HypercallStatus, "second HvSignalEvent did not return HV_STATUS_SUCCESS");
            guest.Sync.EmitDelay(2000);
            guest.Checks.AreEqual(interrupts, 1, "a signal to a flag already set raised an interrupt");
            guest.Console.Print("VP0: second signal with the flag still set: SUCCESS, no interrupt\n");

            a.mov(ecx, 1);                              // VP1's APIC id
            Lapic.EmitSendIpi(a, ecx, ClearVector);
            guest.WaitFlag(cleared);
            guest.Hypercalls.EmitSignalEvent(convention, ConnectionId, 0, route);
            guest.Checks.IsZero(guest.HypercallStatus, "third HvSignalEvent did not return HV_STATUS_SUCCESS");
            guest.WaitFlag(interrupts, 2);
            guest.Checks.AreEqual(flagSeen, 2, "VP1's second interrupt did not see the flag");
            guest.Console.Print("VP1: flag cleared, third signal interrupted again: 2 SINT interrupts for 3 signals\n");
            guest.Pass();
        });
        return guest.Build();
    }
}

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
        var g = new GuestBuilder();
        var a = g.Asm;
        var console = new GuestConsole(g);
        var checks = new Assertions(g, console);
        var synic = new Synic(g, maxVps: 2);
        var hv = new Hypercalls(g, synic);
        var sync = new Sync(g);
        var idt = new Idt(g);
        ulong ready = g.Allocate("vp1_ready", 8);
        ulong interrupts = g.Allocate("sint_interrupts", 8);
        ulong flagSeen = g.Allocate("flag_seen_in_handler", 8);
        ulong cleared = g.Allocate("flag_cleared", 8);

        var start = g.Function("_start");
        var vp1 = g.Function("vp1_receiver");
        var sintHandler = g.Function("sint2_handler");
        var clearHandler = g.Function("clear_ipi_handler");
        idt.SetHandler(SintVector, sintHandler);
        idt.SetHandler(ClearVector, clearHandler);

        g.Bind(ref start);
        a.mov(r12, rdi);
        a.test(r12, r12);
        a.jnz(vp1);

        // VP0: the sender.
        synic.EmitEnableHypercallPage();
        sync.EmitWaitAtLeast(ready, 1);
        console.Print("VP0: VP1 is halted; HvSignalEvent(7, 0)\n");
        hv.EmitSignalEvent(convention, ConnectionId, 0, route);
        a.test(ax, ax);
        a.jnz(checks.Failure("first HvSignalEvent did not return HV_STATUS_SUCCESS"));
        sync.EmitWaitAtLeast(interrupts, 1);
        a.mov(rax, flagSeen);
        a.cmp(__qword_ptr[rax], 1);
        a.jne(checks.Failure("VP1's handler did not see flag 0 in its SIEF slot of SINT2"));
        console.Print("VP1: SINT2 handler saw flag 0 set in its SIEF page\n");

        hv.EmitSignalEvent(convention, ConnectionId, 0, route);
        a.test(ax, ax);
        a.jnz(checks.Failure("second HvSignalEvent did not return HV_STATUS_SUCCESS"));
        sync.EmitDelay(2000);
        a.mov(rax, interrupts);
        a.cmp(__qword_ptr[rax], 1);
        a.jne(checks.Failure("a signal to a flag already set raised an interrupt"));
        console.Print("VP0: second signal with the flag still set: SUCCESS, no interrupt\n");

        a.mov(r13d, 1);
        Lapic.EmitSendIpi(a, r13d, ClearVector);
        sync.EmitWaitAtLeast(cleared, 1);
        hv.EmitSignalEvent(convention, ConnectionId, 0, route);
        a.test(ax, ax);
        a.jnz(checks.Failure("third HvSignalEvent did not return HV_STATUS_SUCCESS"));
        sync.EmitWaitAtLeast(interrupts, 2);
        a.mov(rax, flagSeen);
        a.cmp(__qword_ptr[rax], 2);
        a.jne(checks.Failure("VP1's second interrupt did not see the flag"));
        console.Print("VP1: flag cleared, third signal interrupted again: 2 SINT interrupts for 3 signals\n");
        Exit.EmitExit(a, 0);

        // VP1: the receiver.
        g.Bind(ref vp1);
        idt.EmitLoad();
        Lapic.EmitEnable(a);
        synic.EmitEnable(r12);
        synic.EmitSetSint(2, SintVector);
        a.mov(rax, ready);
        a.mov(__qword_ptr[rax], 1);
        Exit.EmitIdleForever(g, "vp1_idle");

        // SINT2: count, note whether flag 0 is set (the handler leaves it set), EOI.
        g.Bind(ref sintHandler);
        a.push(rax);
        a.push(rdx);
        a.mov(rdx, synic.SiefSlot(1, 2));
        a.test(__byte_ptr[rdx], 1);
        var noFlag = a.CreateLabel();
        a.jz(noFlag);
        a.mov(rax, flagSeen);
        a.@lock.inc(__qword_ptr[rax]);
        a.Label(ref noFlag);
        a.mov(rax, interrupts);
        a.@lock.inc(__qword_ptr[rax]);
        Lapic.EmitEoi(a);
        a.pop(rdx);
        a.pop(rax);
        a.iretq();

        // The clear IPI: VP1 clears flag 0 of its SINT2 slot (the receiver owns its SIEF page).
        g.Bind(ref clearHandler);
        a.push(rax);
        a.mov(rax, synic.SiefSlot(1, 2));
        a.@lock.btr(__qword_ptr[rax], 0);
        a.mov(rax, cleared);
        a.@lock.inc(__qword_ptr[rax]);
        Lapic.EmitEoi(a);
        a.pop(rax);
        a.iretq();

        checks.EmitRoutines();
        hv.EmitRoutines();
        console.EmitRoutines();
        return g.BuildElf();
    }
}

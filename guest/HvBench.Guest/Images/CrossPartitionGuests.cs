using HvBench.Guest.Runtime;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Guest.Images;

/// <summary>Two guests for a two-partition run: the sender (partition 1) signals connection 7, which targets event port 1
/// owned by partition 2; the receiver (partition 2) takes SINT2 on its VP0 and ends the run with PASS.</summary>
public static class CrossPartitionGuests
{
    /// <summary>The receiver's SINT2 vector.</summary>
    public const byte SintVector = 0x50;

    /// <summary>The sender: enables the hypercall page and signals connection 7 until the receiver's SynIC is up
    /// (HV_STATUS_INVALID_SYNIC_STATE until then), then halts with interrupts on.</summary>
    public static byte[] BuildSender()
    {
        var g = new GuestBuilder();
        var a = g.Asm;
        var console = new GuestConsole(g);
        var checks = new Assertions(g, console);
        var synic = new Synic(g, maxVps: 1);
        var hv = new Hypercalls(g, synic);
        var sync = new Sync(g);
        var start = g.Function("_start");
        var retry = g.Function("signal_until_delivered");
        g.Bind(ref start);
        synic.EmitEnableHypercallPage();
        g.Bind(ref retry);
        sync.EmitDelay(200);
        hv.EmitSignalEvent(Convention.Tlfs, 7, 0);
        a.cmp(ax, 0x18);                                // HV_STATUS_INVALID_SYNIC_STATE: the receiver is not ready yet
        a.je(retry);
        a.test(ax, ax);
        a.jnz(checks.Failure("the cross-partition HvSignalEvent failed"));
        console.Print("partition 1: HvSignalEvent to partition 2's port: SUCCESS\n");
        Exit.EmitIdleForever(g, "sender_idle");
        checks.EmitRoutines();
        hv.EmitRoutines();
        console.EmitRoutines();
        return g.BuildElf();
    }

    /// <summary>The guest of examples/two-partitions.json, the same image in both partitions: VP0 of each sets up SINT2,
    /// signals connection 7 (the other partition's port 1) until the other side's SynIC is up, waits for the other
    /// side's signal and ends the run with PASS. Whichever partition gets there first has both sent and received.</summary>
    public static byte[] BuildSymmetric()
    {
        var g = new GuestBuilder();
        var a = g.Asm;
        var console = new GuestConsole(g);
        var checks = new Assertions(g, console);
        var synic = new Synic(g, maxVps: 1);
        var hv = new Hypercalls(g, synic);
        var idt = new Idt(g);
        var sync = new Sync(g);
        ulong received = g.Allocate("signals_received", 8);
        var start = g.Function("_start");
        var retry = g.Function("signal_the_other_partition");
        var handler = g.Function("sint2_handler");
        var others = g.Function("other_vps");
        idt.SetHandler(SintVector, handler);
        g.Bind(ref start);
        a.test(rdi, rdi);
        a.jnz(others);
        idt.EmitLoad();
        Lapic.EmitEnable(a);
        synic.EmitEnableHypercallPage();
        synic.EmitEnable(rdi);
        synic.EmitSetSint(2, SintVector);
        a.sti();
        g.Bind(ref retry);
        sync.EmitDelay(200);
        hv.EmitSignalEvent(Convention.Tlfs, 7, 0);
        a.cmp(ax, 0x18);                                // HV_STATUS_INVALID_SYNIC_STATE: the other side is not ready yet
        a.je(retry);
        a.test(ax, ax);
        a.jnz(checks.Failure("HvSignalEvent to the other partition failed"));
        sync.EmitWaitAtLeast(received, 1);
        console.Print("signalled the other partition and took its SINT2\n");
        Exit.EmitExit(a, 0);
        g.Bind(ref others);
        a.cli();
        a.hlt();
        a.jmp(others);
        g.Bind(ref handler);
        a.push(rax);
        a.mov(rax, received);
        a.@lock.inc(__qword_ptr[rax]);
        Lapic.EmitEoi(a);
        a.pop(rax);
        a.iretq();
        checks.EmitRoutines();
        hv.EmitRoutines();
        console.EmitRoutines();
        return g.BuildElf();
    }

    /// <summary>The receiver: SynIC with SINT2, halts; its handler checks the SIEF flag and ends the run.</summary>
    public static byte[] BuildReceiver()
    {
        var g = new GuestBuilder();
        var a = g.Asm;
        var console = new GuestConsole(g);
        var checks = new Assertions(g, console);
        var synic = new Synic(g, maxVps: 1);
        var idt = new Idt(g);
        var start = g.Function("_start");
        var handler = g.Function("sint2_handler");
        idt.SetHandler(SintVector, handler);
        g.Bind(ref start);
        idt.EmitLoad();
        Lapic.EmitEnable(a);
        synic.EmitEnable(rdi);
        synic.EmitSetSint(2, SintVector);
        Exit.EmitIdleForever(g, "receiver_idle");
        g.Bind(ref handler);
        a.mov(rax, synic.SiefSlot(0, 2));
        a.test(__byte_ptr[rax], 1);
        a.jz(checks.Failure("partition 2's SINT2 arrived without flag 0 in its SIEF page"));
        console.Print("partition 2: SINT2 with flag 0 set in the SIEF page\n");
        Exit.EmitExit(a, 0);
        checks.EmitRoutines();
        console.EmitRoutines();
        return g.BuildElf();
    }
}

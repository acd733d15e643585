using HvBench.Guest.Runtime;
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Guest.Images;

/// <summary>ping-pong: VP0 and VP1 signal each other in turn, a given number of rounds (two signals per round):
/// VP0 signals connection 7 (→ VP1, SINT2); VP1's handler clears the flag and signals connection 8 (→ VP0, SINT2);
/// VP0's handler clears its flag and counts. Both sides count what they received, and each round must arrive exactly
/// once. Timing (TSC): samples[2i] = VP0's HvSignalEvent round trip as the caller sees it, samples[2i+1] = one-way
/// latency from VP0 before its VMCALL to VP1's handler entry, in cycles.</summary>
public static class PingPongGuest
{
    /// <summary>SINT2's vector on VP0 and on VP1: different, so each VP's handler is its own.</summary>
    public const byte Vp0Vector = 0x50, Vp1Vector = 0x51;
    /// <summary>Results counter 0: pings VP1 received; counter 1: pongs VP0 received; counter 2: rounds VP0 ran.</summary>
    public const int PingsCounter = 0, PongsCounter = 1, RoundsCounter = 2;

    /// <summary>Builds the guest for <paramref name="rounds"/> rounds (2 × rounds signals); with <paramref name="autoEoi"/>
    /// both SINT2s are auto-EOI and the handlers write no EOI (TLFS 6.3).</summary>
    public static byte[] Build(int rounds, bool autoEoi = false)
    {
        var g = new GuestBuilder();
        var a = g.Asm;
        var console = new GuestConsole(g);
        var checks = new Assertions(g, console);
        var synic = new Synic(g, maxVps: 2);
        var hv = new Hypercalls(g, synic);
        var sync = new Sync(g);
        var idt = new Idt(g);
        var results = new ResultsBuffer(g, 2 * rounds);
        ulong sendTsc = g.Allocate("send_tsc", 8);
        ulong bothReady = sync.CreateBarrier();
        ulong pings = results.Counter(PingsCounter), pongs = results.Counter(PongsCounter);

        var start = g.Function("_start");
        var round = g.Function("ping_round");
        var waitPong = g.Function("wait_for_pong");
        var vp1Handler = g.Function("vp1_ping_handler");
        var vp0Handler = g.Function("vp0_pong_handler");
        var vp1 = g.Function("vp1_ponger");
        idt.SetHandler(Vp0Vector, vp0Handler);
        idt.SetHandler(Vp1Vector, vp1Handler);

        g.Bind(ref start);
        a.mov(r12, rdi);
        a.mov(r13, rsi);
        a.test(r12, r12);
        a.jnz(vp1);

        // VP0: the pinger.
        results.EmitInitialise();
        synic.EmitEnableHypercallPage();
        EmitReceiverSetup(g, idt, synic, Vp0Vector, autoEoi);
        sync.EmitBarrier(bothReady, r13);
        a.xor(r14d, r14d);                              // round number
        g.Bind(ref round);
        Tsc.EmitRead(a, r15);
        a.mov(rax, sendTsc);
        a.mov(__qword_ptr[rax], r15);
        hv.EmitSignalEvent(Convention.Tlfs, 7, 0);
        a.mov(rbx, rax);
        Tsc.EmitRead(a, rax);
        a.sub(rax, r15);
        a.mov(rdx, results.Samples);
        a.mov(rcx, r14);
        a.shl(rcx, 4);
        a.mov(__qword_ptr[rdx + rcx], rax);             // samples[2i] = round trip
        a.test(bx, bx);
        a.jnz(checks.Failure("HvSignalEvent to VP1 did not return HV_STATUS_SUCCESS"));
        g.Bind(ref waitPong);                            // sleep until VP1's answer for this round arrived
        a.cli();
        a.mov(rax, pongs);
        a.cmp(__qword_ptr[rax], r14);
        var answered = a.CreateLabel();
        a.ja(answered);
        a.sti();
        a.hlt();
        a.jmp(waitPong);
        a.Label(ref answered);
        a.inc(r14);
        a.mov(rax, results.Counter(RoundsCounter));
        a.mov(__qword_ptr[rax], r14);
        a.cmp(r14, rounds);
        a.jb(round);
        a.mov(rax, results.SampleCount);
        a.mov(__qword_ptr[rax], 2 * rounds);
        a.mov(rax, pings);
        a.cmp(__qword_ptr[rax], rounds);
        a.jne(checks.Failure("VP1 did not receive every ping exactly once"));
        a.mov(rax, pongs);
        a.cmp(__qword_ptr[rax], rounds);
        a.jne(checks.Failure("VP0 did not receive every pong exactly once"));
        Exit.EmitExit(a, 0);                             // no console line: the measured phase stays free of host-side allocation

        // VP1: the ponger; all its work is in the handler.
        g.Bind(ref vp1);
        EmitReceiverSetup(g, idt, synic, Vp1Vector, autoEoi);
        sync.EmitBarrier(bothReady, r13);
        Exit.EmitIdleForever(g, "vp1_idle");

        // VP0's SINT2: count the pong, clear the flag.
        g.Bind(ref vp0Handler);
        a.push(rax);
        a.mov(rax, synic.SiefSlot(0, 2));
        a.@lock.btr(__qword_ptr[rax], 0);
        a.mov(rax, pongs);
        a.@lock.inc(__qword_ptr[rax]);
        if (!autoEoi) Lapic.EmitEoi(a);
        a.pop(rax);
        a.iretq();

        // VP1's SINT2: time the ping, clear the flag, count it and answer.
        g.Bind(ref vp1Handler);
        a.push(rax);
        a.push(rbx);
        a.push(rcx);
        a.push(rdx);
        a.push(r8);
        a.push(r11);
        Tsc.EmitRead(a, rbx);
        a.mov(rax, sendTsc);
        a.sub(rbx, __qword_ptr[rax]);
        a.mov(rax, pings);
        a.mov(rcx, __qword_ptr[rax]);
        a.shl(rcx, 4);
        a.mov(rdx, results.Samples + 8);
        a.mov(__qword_ptr[rdx + rcx], rbx);             // samples[2i+1] = one-way latency
        a.mov(rax, synic.SiefSlot(1, 2));
        a.@lock.btr(__qword_ptr[rax], 0);
        a.mov(rax, pings);
        a.@lock.inc(__qword_ptr[rax]);
        hv.EmitSignalEvent(Convention.Tlfs, 8, 0);
        a.test(ax, ax);
        a.jnz(checks.Failure("HvSignalEvent to VP0 did not return HV_STATUS_SUCCESS"));
        if (!autoEoi) Lapic.EmitEoi(a);
        a.pop(r11);
        a.pop(r8);
        a.pop(rdx);
        a.pop(rcx);
        a.pop(rbx);
        a.pop(rax);
        a.iretq();

        checks.EmitRoutines();
        hv.EmitRoutines();
        console.EmitRoutines();
        return g.BuildElf();
    }

    private static void EmitReceiverSetup(GuestBuilder g, Idt idt, Synic synic, byte vector, bool autoEoi)
    {
        idt.EmitLoad();
        Lapic.EmitEnable(g.Asm);
        synic.EmitEnable(r12);
        synic.EmitSetSint(2, vector, autoEoi: autoEoi);
    }
}

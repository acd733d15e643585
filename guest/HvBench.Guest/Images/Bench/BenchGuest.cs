using HvBench.Guest.Runtime;
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Guest.Images.Bench;

/// <summary>The guest of <c>hvbench bench</c>: VP0 runs a <see cref="BenchGuestPlan"/>'s steps one after the other and
/// times every iteration inside the guest with <c>lfence; rdtsc</c>; VP1 takes the SINTs (its handlers time the one-way
/// latencies). No console output in the measured phase: console lines allocate on the host.</summary>
/// <remarks>
/// The host adds, before the run (<see cref="PortsAndConnections"/>): event port 1 → VP1 SINT2 (consumed: the handler
/// clears the flag), event port 2 → VP1 SINT3 (the handler leaves the flag set), event port 3 → VP1 SINT4 (masked),
/// message port 4 → VP1 SINT5, event port 5 → VP1 SINT6 (throughput); connection n → port n.
/// Every hypercall iteration runs the same instructions between its TSC reads: store the start TSC for VP1, load the
/// call's registers, call, keep the status (the null hypercall differs from a signal only in its immediates), so the
/// difference of two figures is the host's work, not guest instructions (each costs about 0.5 µs where CPL 0 is
/// emulated, host-kvm.md). For the same reason the timing code is short: the start keeps only the TSC's low 32 bits
/// (<c>lfence; rdtsc; mov r15d, eax</c>), the hypercall page's address waits in R12 (<c>call r12</c>), and VP1's handlers
/// read the TSC after saving only RAX and RDX. docs/performance.md lists what lies between the two reads of each figure.
/// </remarks>
public static class BenchGuest
{
    /// <summary>SINT vectors on VP1: consumed signals, already-set flag, masked SINT, messages, throughput.</summary>
    public const byte ConsumedVector = 0x50, AlreadySetVector = 0x51, MaskedVector = 0x52, MessageVector = 0x53, ThroughputVector = 0x54;
    /// <summary>Connection ids (each to the port of the same id).</summary>
    public const uint ConsumedConnection = 1, AlreadySetConnection = 2, MaskedConnection = 3, MessageConnection = 4, ThroughputConnection = 5;
    /// <summary>VP1's SINTs for ports 1 … 5.</summary>
    public const int ConsumedSint = 2, AlreadySetSint = 3, MaskedSint = 4, MessageSint = 5, ThroughputSint = 6;
    /// <summary>Results counters: the step VP0 is in (1-based, for progress), and what VP1's handlers counted.</summary>
    public const int StepCounter = 0, ConsumedCounter = 1, AlreadySetCounter = 2, MessageCounter = 3, ThroughputCounter = 4;
    /// <summary>The unknown call code of the null hypercall.</summary>
    public const ushort NullCallCode = 0xFFFF;
    /// <summary>The MSR the MSR-write step writes (VP0's SINT15) and the value (its reset value: masked, vector 0).</summary>
    public const uint MsrWriteIndex = Synic.Sint0Msr + 15, MsrWriteValue = 0x10000;
    /// <summary>The port the port-I/O step writes (no device there: guest-abi.md).</summary>
    public const byte PortIoPort = 0x80;

    private const ushort StatusSuccess = 0, StatusInvalidHypercallCode = 2, StatusInvalidSynicState = 0x18;
    private const uint MessageType = 0x42;

    /// <summary>The ports and connections a bench machine needs: (port id, is message port, target SINT) on VP1;
    /// connection n → port n.</summary>
    public static IReadOnlyList<(uint PortId, bool Message, int Sint)> PortsAndConnections { get; } =
    [
        (ConsumedConnection, false, ConsumedSint),
        (AlreadySetConnection, false, AlreadySetSint),
        (MaskedConnection, false, MaskedSint),
        (MessageConnection, true, MessageSint),
        (ThroughputConnection, false, ThroughputSint),
    ];

    /// <summary>Builds the image for <paramref name="plan"/> (2 VPs or more; VPs past 1 idle).</summary>
    public static byte[] Build(BenchGuestPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        plan.Validate();
        var g = new GuestBuilder();
        var a = g.Asm;
        var console = new GuestConsole(g);
        var checks = new Assertions(g, console);
        var synic = new Synic(g, maxVps: 2);
        var hv = new Hypercalls(g, synic);
        var sync = new Sync(g);
        var idt = new Idt(g);
        int perSeries = plan.SamplesPerSeries;
        var results = new ResultsBuffer(g, plan.SeriesCount * perSeries);
        ulong sendTsc = g.Allocate("send_tsc", 8);
        ulong vp1Received = g.Allocate("vp1_received", 8);
        ulong handlerTarget = g.Allocate("handler_samples", 8);
        ulong postInput = g.Allocate("post_input", 256, 256);
        ulong scratch = g.Allocate("prepass_samples", 8);
        ulong bothReady = sync.CreateBarrier();

        var start = g.Function("_start");
        var vp1 = g.Function("vp1_receiver");
        var others = g.Function("other_vps");
        var consumed = g.Function("sint2_consumed_handler");
        var alreadySet = g.Function("sint3_already_set_handler");
        var message = g.Function("sint5_message_handler");
        var throughput = g.Function("sint6_throughput_handler");
        idt.SetHandler(ConsumedVector, consumed);
        idt.SetHandler(AlreadySetVector, alreadySet);
        idt.SetHandler(MessageVector, message);
        idt.SetHandler(ThroughputVector, throughput);

        g.Bind(ref start);
        a.mov(r12, rdi);
        a.mov(r13d, 2);                                  // the barrier's VP count: VP0 and VP1
        a.cmp(r12, 1);
        a.je(vp1);
        a.ja(others);

        // VP0: the hypercall page, then the steps.
        results.EmitInitialise();
        synic.EmitEnableHypercallPage();
        a.mov(rbx, postInput);
        a.mov(__dword_ptr[rbx], MessageConnection);
        a.mov(__dword_ptr[rbx + 8], MessageType);
        a.mov(__dword_ptr[rbx + 12], 8);                // PayloadSize
        sync.EmitBarrier(bothReady, r13);
        a.mov(r13, sendTsc);                             // from here on: R13 = &send_tsc, R12 = the hypercall page
        a.mov(r12, synic.HypercallPage);
        EmitPrepass(g, plan, hv, sync, vp1Received, handlerTarget, scratch, postInput);
        int series = 0;
        for (int step = 0; step < plan.Steps.Count; step++)
        {
            EmitStep(g, plan, step, results.Samples + 8 * (ulong)(series * perSeries), results, hv, checks, sync, sendTsc, vp1Received, handlerTarget, postInput);
            series += plan.Steps[step].SeriesCount;
        }
        a.mov(rax, results.SampleCount);
        a.mov(__qword_ptr[rax], plan.SeriesCount * perSeries);
        Exit.EmitExit(a, 0);

        // VP1: every SINT the steps use, then idle with interrupts on.
        g.Bind(ref vp1);
        idt.EmitLoad();
        Lapic.EmitEnable(a);
        synic.EmitEnable(r12);
        synic.EmitSetSint(ConsumedSint, ConsumedVector);
        synic.EmitSetSint(AlreadySetSint, AlreadySetVector);
        synic.EmitSetSint(MaskedSint, MaskedVector, masked: true);
        synic.EmitSetSint(MessageSint, MessageVector);
        synic.EmitSetSint(ThroughputSint, ThroughputVector);
        sync.EmitBarrier(bothReady, r13);
        Exit.EmitIdleForever(g, "vp1_idle");

        g.Bind(ref others);
        Exit.EmitIdleForever(g, "other_vps_idle");

        // SINT2: time the signal's arrival, clear the flag, count, EOI, then release VP0.
        g.Bind(ref consumed);
        EmitHandlerEntry(a, sendTsc, vp1Received, handlerTarget, perSeries);
        a.mov(rax, synic.SiefSlot(1, ConsumedSint));
        a.@lock.btr(__qword_ptr[rax], 0);
        a.mov(rax, results.Counter(ConsumedCounter));
        a.@lock.inc(__qword_ptr[rax]);
        Lapic.EmitEoi(a);
        EmitHandlerExit(a, vp1Received);

        // SINT3: the flag stays set, so only the first signal of the step interrupts.
        g.Bind(ref alreadySet);
        a.push(rax);
        a.mov(rax, results.Counter(AlreadySetCounter));
        a.@lock.inc(__qword_ptr[rax]);
        Lapic.EmitEoi(a);
        a.pop(rax);
        a.iretq();

        // SINT5: time the message's arrival, free the slot, EOI (and EOM if more wait), then release VP0.
        g.Bind(ref message);
        EmitHandlerEntry(a, sendTsc, vp1Received, handlerTarget, perSeries);
        a.mov(rbx, synic.SimSlot(1, MessageSint));
        a.movzx(ecx, __byte_ptr[rbx + 5]);              // MessageFlags: bit 0 MessagePending
        a.mov(__dword_ptr[rbx], 0);                     // MessageType = None: the slot is free
        a.mov(rax, results.Counter(MessageCounter));
        a.@lock.inc(__qword_ptr[rax]);
        Lapic.EmitEoi(a);
        var noPending = a.CreateLabel();
        a.test(cl, 1);
        a.jz(noPending);
        Msr.EmitWrite(a, Synic.EomMsr, 0);
        a.Label(ref noPending);
        EmitHandlerExit(a, vp1Received);

        // SINT6: consume as fast as the signals come.
        g.Bind(ref throughput);
        a.push(rax);
        a.mov(rax, synic.SiefSlot(1, ThroughputSint));
        a.@lock.btr(__qword_ptr[rax], 0);
        a.mov(rax, results.Counter(ThroughputCounter));
        a.@lock.inc(__qword_ptr[rax]);
        Lapic.EmitEoi(a);
        a.pop(rax);
        a.iretq();

        checks.EmitRoutines();
        hv.EmitRoutines();
        console.EmitRoutines();
        return g.BuildElf();
    }

    private static void EmitStep(GuestBuilder g, BenchGuestPlan plan, int stepIndex, ulong samples, ResultsBuffer results, Hypercalls hv,
        Assertions checks, Sync sync, ulong sendTsc, ulong vp1Received, ulong handlerTarget, ulong postInput)
    {
        var a = g.Asm;
        BenchStep step = plan.Steps[stepIndex];
        int total = plan.SamplesPerSeries;
        bool waits = step.Kind is BenchStepKind.SignalRoundTrip or BenchStepKind.PostMessage;
        a.mov(rax, results.Counter(StepCounter));
        a.mov(__qword_ptr[rax], stepIndex + 1);
        if (waits)
        {
            a.mov(rax, vp1Received);
            a.mov(__qword_ptr[rax], 0);
            a.mov(rax, handlerTarget);
            a.mov(rdx, samples + 8 * (ulong)total);     // the step's second series
            a.mov(__qword_ptr[rax], rdx);
        }
        Label loop = g.Function($"step{stepIndex}_{step.Kind}_{step.Route}".ToLowerInvariant());
        a.xor(r14d, r14d);
        if (step.Kind == BenchStepKind.SignalThroughput) EmitStartClock(a);
        g.Bind(ref loop);
        switch (step.Kind)
        {
            case BenchStepKind.TimerOverhead:
                EmitStartClock(a);
                EmitTakeSample(a, samples);
                break;
            case BenchStepKind.PortIoExit:
                EmitStartClock(a);
                a.@out(PortIoPort, al);
                EmitTakeSample(a, samples);
                break;
            case BenchStepKind.MsrWrite:
                a.mov(ecx, MsrWriteIndex);                  // ECX survives rdtsc; EAX and EDX do not
                EmitStartClock(a);
                a.mov(eax, MsrWriteValue);
                a.xor(edx, edx);
                a.wrmsr();
                EmitTakeSample(a, samples);
                break;
            case BenchStepKind.SignalThroughput:
                EmitLoadCall(a, plan.Convention, step.Kind, postInput);
                EmitCall(a, hv, step.Route);
                a.mov(ebx, eax);
                a.lfence();
                a.rdtsc();
                a.mov(ecx, eax);
                a.sub(eax, r15d);                           // 32-bit: the interval, zero-extended into RAX
                a.mov(r15d, ecx);                           // this completion starts the next interval
                a.mov(rdx, samples);
                a.mov(__qword_ptr[rdx + r14 * 8], rax);
                EmitCheckStatus(a, checks, StatusSuccess, "HvSignalEvent (throughput) did not return HV_STATUS_SUCCESS");
                break;
            default:
                EmitStartClock(a);
                a.mov(__dword_ptr[r13], r15d);              // for VP1's handler; every hypercall step stores it, so all run the same instructions
                EmitLoadCall(a, plan.Convention, step.Kind, postInput);
                EmitCall(a, hv, step.Route);
                a.mov(ebx, eax);
                EmitTakeSample(a, samples);
                (ushort expected, string what) = step.Kind switch
                {
                    BenchStepKind.NullHypercall => (StatusInvalidHypercallCode, "the null hypercall did not return HV_STATUS_INVALID_HYPERCALL_CODE"),
                    BenchStepKind.SignalMaskedSint => (StatusInvalidSynicState, "HvSignalEvent to a masked SINT did not return HV_STATUS_INVALID_SYNIC_STATE"),
                    BenchStepKind.PostMessage => (StatusSuccess, "HvPostMessage did not return HV_STATUS_SUCCESS"),
                    _ => (StatusSuccess, $"HvSignalEvent ({step.Kind}) did not return HV_STATUS_SUCCESS"),
                };
                EmitCheckStatus(a, checks, expected, what);
                if (waits)
                {
                    a.lea(rcx, __[r14 + 1]);
                    sync.EmitWaitAtLeast(vp1Received, rcx);     // VP1's handler has run for this iteration
                }
                break;
        }
        a.inc(r14);
        a.cmp(r14, total);
        a.jb(loop);
    }

    private const ushort SignalEvent = Hypercalls.SignalEvent;

    /// <summary>The registers of a fast HvSignalEvent in <paramref name="convention"/>, with <paramref name="callCode"/>
    /// (the same instructions for the null hypercall and a signal: only the immediates differ).</summary>
    private static void EmitLoadSignal(Assembler a, Convention convention, ushort callCode, uint connectionId)
    {
        if (convention == Convention.Rax)
        {
            a.mov(eax, callCode);
            a.mov(ebx, connectionId);
            a.mov(ecx, 0);                                   // FlagNumber
        }
        else
        {
            a.mov(ecx, (uint)(callCode | Hypercalls.FastBit));
            a.mov(rdx, (ulong)connectionId);                 // FlagNumber 0 in bits 32..47
        }
    }

    /// <summary>First TSC read: <c>lfence; rdtsc; mov r15d, eax</c>. Only the low 32 bits are kept (an interval is far
    /// below 2³² cycles, and 32-bit differences wrap correctly): one instruction after <c>rdtsc</c> instead of three, which
    /// matters where each costs about 0.5–1 µs (clobbers RAX, RDX).</summary>
    private static void EmitStartClock(Assembler a)
    {
        a.lfence();
        a.rdtsc();
        a.mov(r15d, eax);
    }

    /// <summary>Second TSC read; samples[r14] = its low half − R15D (clobbers RAX, RDX).</summary>
    private static void EmitTakeSample(Assembler a, ulong samples)
    {
        a.lfence();
        a.rdtsc();
        a.sub(eax, r15d);                                    // 32-bit: zero-extends into RAX
        a.mov(rdx, samples);
        a.mov(__qword_ptr[rdx + r14 * 8], rax);
    }

    /// <summary>Loads the registers of the step's call (the same instructions for the null hypercall and the signals;
    /// only the immediates differ).</summary>
    private static void EmitLoadCall(Assembler a, Convention convention, BenchStepKind kind, ulong postInput)
    {
        switch (kind)
        {
            case BenchStepKind.NullHypercall:
                EmitLoadSignal(a, convention, NullCallCode, ConsumedConnection);
                break;
            case BenchStepKind.SignalAlreadySet:
                EmitLoadSignal(a, convention, SignalEvent, AlreadySetConnection);
                break;
            case BenchStepKind.SignalMaskedSint:
                EmitLoadSignal(a, convention, SignalEvent, MaskedConnection);
                break;
            case BenchStepKind.SignalThroughput:
                EmitLoadSignal(a, convention, SignalEvent, ThroughputConnection);
                break;
            case BenchStepKind.PostMessage:
                a.mov(ecx, Hypercalls.PostMessage);
                a.mov(rdx, postInput);
                a.xor(r8d, r8d);
                break;
            default:
                EmitLoadSignal(a, convention, SignalEvent, ConsumedConnection);
                break;
        }
    }

    /// <summary>Calls the hypercall page (its address is in R12, so the call is one instruction, like the direct route's)
    /// or the image's direct VMCALL routine.</summary>
    private static void EmitCall(Assembler a, Hypercalls hv, HypercallRoute route)
    {
        if (route == HypercallRoute.DirectVmcall) hv.EmitCall(route);
        else a.call(r12);
    }

    /// <summary>Runs each step's operation once before any is timed, so that every host path (and, under the JIT, every
    /// method it calls) has run within the first exits, before the host starts counting allocations (VcpuRunner counts
    /// from exit 1000). Signals and messages to VP1 are waited for; VP1's handler writes to a scratch slot.</summary>
    private static void EmitPrepass(GuestBuilder g, BenchGuestPlan plan, Hypercalls hv, Sync sync, ulong vp1Received, ulong handlerTarget,
        ulong scratch, ulong postInput)
    {
        var a = g.Asm;
        var prepass = g.Function("prepass");
        g.Bind(ref prepass);
        a.mov(rax, handlerTarget);
        a.mov(rdx, scratch);
        a.mov(__qword_ptr[rax], rdx);
        foreach (BenchStep step in plan.Steps.Distinct())
        {
            switch (step.Kind)
            {
                case BenchStepKind.TimerOverhead:
                    continue;
                case BenchStepKind.PortIoExit:
                    a.@out(PortIoPort, al);
                    continue;
                case BenchStepKind.MsrWrite:
                    Msr.EmitWrite(a, MsrWriteIndex, MsrWriteValue);
                    continue;
            }
            bool waits = step.Kind is BenchStepKind.SignalRoundTrip or BenchStepKind.PostMessage;
            if (waits)
            {
                a.mov(rax, vp1Received);
                a.mov(__qword_ptr[rax], 0);
            }
            EmitLoadCall(a, plan.Convention, step.Kind, postInput);
            EmitCall(a, hv, step.Route);
            if (waits) sync.EmitWaitAtLeast(vp1Received, 1);
        }
    }

    private static void EmitCheckStatus(Assembler a, Assertions checks, ushort expected, string message)
    {
        a.cmp(bx, expected);
        a.jne(checks.Failure(message));
    }

    /// <summary>Handler prologue: reads the TSC first (after saving the two registers <c>rdtsc</c> writes), then stores
    /// VP1's TSC − VP0's start TSC (32-bit) at the handler series' next index; saves RAX, RDX, RBX, RCX.</summary>
    private static void EmitHandlerEntry(Assembler a, ulong sendTsc, ulong vp1Received, ulong handlerTarget, int capacity)
    {
        a.push(rax);
        a.push(rdx);
        a.lfence();
        a.rdtsc();
        a.sub(eax, __dword_ptr[sendTsc]);
        a.push(rbx);
        a.push(rcx);
        a.mov(ebx, eax);
        a.mov(rax, vp1Received);
        a.mov(rcx, __qword_ptr[rax]);
        var full = a.CreateLabel();
        a.cmp(rcx, capacity);
        a.jae(full);                                         // never when VP0 waits for each; guards the buffer
        a.mov(rax, handlerTarget);
        a.mov(rax, __qword_ptr[rax]);
        a.mov(__qword_ptr[rax + rcx * 8], rbx);
        a.Label(ref full);
    }

    /// <summary>Handler epilogue: tells VP0 this iteration arrived, restores the registers, returns.</summary>
    private static void EmitHandlerExit(Assembler a, ulong vp1Received)
    {
        a.mov(rax, vp1Received);
        a.inc(__qword_ptr[rax]);                             // only VP1 writes it while VP0 waits
        a.pop(rcx);
        a.pop(rbx);
        a.pop(rdx);
        a.pop(rax);
        a.iretq();
    }
}

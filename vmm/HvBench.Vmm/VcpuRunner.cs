using HvBench.Hyperv;
using HvBench.Kvm;
using HvBench.Kvm.Interop;
using HvBench.Vmm.Reports;
using HvBench.Vmm.Tracing;

namespace HvBench.Vmm;

/// <summary>One VP's thread: re-enters KVM_RUN and handles each exit (firecracker's vCPU loop, reduced). Requests
/// from other threads (stop, halt probe, new breakpoints, auto-EOI) are looked at between runs. The loop allocates
/// nothing per exit: exits are structs over the run page, counters an array, registers the run page's sync_regs.</summary>
internal sealed class VcpuRunner
{
    private const uint MpStateHalted = 3;        // KVM_MP_STATE_HALTED
    private const ulong ResumeFlag = 1UL << 16;  // RFLAGS.RF: skip the instruction breakpoint once
    private const ulong InterruptFlag = 1UL << 9;

    /// <summary>Exits before the allocation count starts: the first ones run JIT and first-use paths.</summary>
    public const int AllocationWarmupExits = 1000;

    private readonly Machine _machine;
    private readonly Vcpu _vcpu;
    private readonly Partition _partition;
    private readonly ITraceSink? _trace;
    private readonly Thread _thread;
    private readonly int _hypercallPort; // the I/O hypercall page's port, or -1 (no port number)
    private int _appliedBreakpoints = -1;
    private volatile bool _haltProbeRequested;
    private volatile bool _haltedWithInterruptsOff;
    private volatile bool _finished;

    public VcpuRunner(Machine machine, Vcpu vcpu, int vpIndex)
    {
        _machine = machine;
        _vcpu = vcpu;
        _partition = machine.Hyperv;
        _trace = machine.Trace;
        _hypercallPort = machine.Config.HypercallPage == Intercepts.HypercallPageKind.Io ? Intercepts.IoHypercallPage.Port : -1;
        VpIndex = vpIndex;
        // A breakpoint exit says nothing of the privilege level, yet a hypercall is legal only at CPL 0 in long mode:
        // have KVM put the segment registers in the run page at every exit, which costs far less than one
        // KVM_GET_SREGS per hypercall.
        if (machine.Intercept == Intercepts.InterceptKind.Breakpoint && vcpu.SyncSregsAvailable) vcpu.FillSyncSregs = true;
        _thread = new Thread(Loop) { Name = $"vcpu{vpIndex}", IsBackground = true };
    }

    public int VpIndex { get; }

    /// <summary>Exits by reason slot (<see cref="RunStatistics.SlotOf"/>).</summary>
    public long[] Exits { get; } = new long[RunStatistics.ReasonSlots];

    /// <summary>The registers when the loop ended, for the report.</summary>
    public RegisterSnapshot? FinalRegisters { get; private set; }

    public bool HasFinished => _finished;

    /// <summary>True while an auto-EOI vector injected into this VP waits for its ISR bit to be looked at.</summary>
    public bool HasAutoEoiWaiting => _machine.AutoEoi.HasPending(VpIndex);

    /// <summary>The registers when this VP wrote a non-zero exit code (the first time), for the report of a failed
    /// check: the assertion routine's exit-port OUT is the guest's report (docs/guest-abi.md, "Assertion record").</summary>
    public RegisterSnapshot? ExitPortRegisters { get; private set; }

    /// <summary>Keeps the registers of the exit-port write in progress; called on this VP's thread while it handles
    /// the exit, where the run page's sync_regs hold the guest's registers.</summary>
    public void CaptureExitPortRegisters()
    {
        if (ExitPortRegisters is not null) return;
        // A run-ending exit: allocating here is fine (SteadyStateAllocatedBytes leaves out the last exit's handling).
        ExitPortRegisters = _vcpu.SyncRegsAvailable ? TakeSnapshot(_vcpu.SyncRegs) : TakeSnapshot();
    }

    /// <summary>True when the last halt probe found the VP halted with RFLAGS.IF = 0.</summary>
    public bool HaltedWithInterruptsOff => _haltedWithInterruptsOff;

    /// <summary>The breakpoint version this VP carries.</summary>
    public int AppliedBreakpoints => Volatile.Read(ref _appliedBreakpoints);

    /// <summary>Exits other than Interrupted (kicks and probes): a measure of the guest's own activity.</summary>
    public long GuestExits
    {
        get
        {
            long total = 0;
            int interrupted = RunStatistics.SlotOf(VcpuExitReason.Interrupted);
            for (int i = 0; i < Exits.Length; i++)
                if (i != interrupted) total += Volatile.Read(ref Exits[i]);
            return total;
        }
    }

    /// <summary>Bytes this VP's thread allocated from exit <see cref="AllocationWarmupExits"/> until the last exit
    /// arrived (the last exit's handling, which may end the run and build the verdict, is not counted); -1 before warm-up.</summary>
    public long SteadyStateAllocatedBytes { get; private set; } = -1;

    public void Start() => _thread.Start();

    // A background thread that never started reads Background | Unstarted: test the flag, not the whole state.
    public bool Join(TimeSpan timeout) => (_thread.ThreadState & ThreadState.Unstarted) != 0 || _thread.Join(timeout);

    public void Kick() => _vcpu.Kick();

    public void RequestHaltProbe()
    {
        _haltProbeRequested = true;
        _vcpu.Kick();
    }

    private void Loop()
    {
        _vcpu.BindToCurrentThread();
        try
        {
            long exitNumber = 0, allocatedAtWarmup = 0;
            BreakpointSitesApply();
            while (!_machine.Stopping)
            {
                VcpuExit exit = _vcpu.Run();
                exitNumber++;
                if (exitNumber == AllocationWarmupExits) allocatedAtWarmup = GC.GetAllocatedBytesForCurrentThread();
                else if (exitNumber > AllocationWarmupExits) SteadyStateAllocatedBytes = GC.GetAllocatedBytesForCurrentThread() - allocatedAtWarmup;
                Exits[RunStatistics.SlotOf(exit.Reason)]++;
                if (exit.Reason != VcpuExitReason.Interrupted) _haltedWithInterruptsOff = false;
                HandleExit(exit);
                if (_machine.AutoEoi.HasPending(VpIndex)) _machine.AutoEoi.Service(VpIndex, _vcpu);
                if (_machine.Breakpoints is { } sites && sites.Version != _appliedBreakpoints) BreakpointSitesApply();
            }
        }
        catch (Exception e)
        {
            // A host-side failure (a KVM call refused) ends the run; it is never the guest's doing.
            _machine.Stop(RunOutcome.HostError, null, $"VP{VpIndex}: {e.Message}");
        }
        finally
        {
            _vcpu.UnbindThread();
            FinalRegisters = TakeSnapshot();
            _finished = true;
        }
    }

    private void HandleExit(VcpuExit exit)
    {
        if (_trace is not null) TraceExit(exit);
        switch (exit.Reason)
        {
            case VcpuExitReason.Io:
            {
                ref KvmRunIo io = ref exit.Io;
                // Without a guest OS id the I/O page's port is an ordinary one (the page is disabled then anyway).
                if (io.Port == _hypercallPort && io.Direction == 1 /* KVM_EXIT_IO_OUT */ && _partition.AcceptsHypercalls)
                {
                    Hypercall(advanceRip: false); // KVM completes the OUT on re-entry (IoHypercallPage)
                    break;
                }
                _machine.Ports.Access(VpIndex, io.Port, io.Direction == 1 /* KVM_EXIT_IO_OUT */, io.Size, exit.IoData);
                break;
            }
            case VcpuExitReason.Mmio:
                _machine.Mmio.Access(VpIndex, exit.Mmio.PhysAddr, exit.Mmio.IsWrite != 0, exit.MmioData);
                break;
            case VcpuExitReason.X86Rdmsr:
            {
                ref KvmRunMsr msr = ref exit.Msr;
                if (_partition.ReadMsr(VpIndex, msr.Index, out ulong value) == MsrAccess.Ok) msr.Data = value;
                else msr.Error = 1; // KVM injects #GP
                break;
            }
            case VcpuExitReason.X86Wrmsr:
            {
                ref KvmRunMsr msr = ref exit.Msr;
                if (_partition.WriteMsr(VpIndex, msr.Index, msr.Data) != MsrAccess.Ok) msr.Error = 1;
                else if (msr.Index == HvMsr.Hypercall) OnHypercallMsrWritten();
                break;
            }
            case VcpuExitReason.Debug:
                OnBreakpoint(exit.Debug.Pc);
                break;
            case VcpuExitReason.Xen:
                OnXenHypercall(ref exit.Xen);
                break;
            case VcpuExitReason.Interrupted:
                if (_haltProbeRequested) ProbeHalt();
                break;
            case VcpuExitReason.Shutdown:
                Fault("triple fault (KVM_EXIT_SHUTDOWN)");
                break;
            case VcpuExitReason.InternalError:
            {
                string what = exit.Internal.Suberror switch
                {
                    1 => "KVM could not emulate the instruction",
                    2 => "simultaneous exceptions",
                    3 => "delivery event exit",
                    _ => $"suberror {exit.Internal.Suberror}",
                };
                Fault($"KVM internal error: {what} (KVM_EXIT_INTERNAL_ERROR)");
                break;
            }
            case VcpuExitReason.FailEntry:
                Fault($"VM entry failed: hardware reason 0x{exit.FailEntry.HardwareEntryFailureReason:x} (KVM_EXIT_FAIL_ENTRY)");
                break;
            case VcpuExitReason.SystemEvent:
                Fault($"system event {exit.SystemEvent.Type} (KVM_EXIT_SYSTEM_EVENT: shutdown, reset or crash)");
                break;
            default:
                Fault($"unexpected exit {exit.Reason} ({(uint)exit.Reason})");
                break;
        }
    }

    /// <summary>A hardware breakpoint: a VMCALL site is a hypercall; anything else is resumed or reported.</summary>
    private void OnBreakpoint(ulong pc)
    {
        if (_machine.Breakpoints is { } sites && sites.Contains(pc))
        {
            Span<byte> bytes = stackalloc byte[3];
            if (_machine.Memory.TryRead(pc, bytes) && bytes[0] == 0x0F && bytes[1] == 0x01 && bytes[2] is 0xC1 or 0xD9)
            {
                if (IsHypercallEnvironment() && _partition.AcceptsHypercalls) Hypercall(advanceRip: true);
                else RaiseInvalidOpcode();
                return;
            }
            // The guest overwrote the site: run what is there now, past the breakpoint.
            _vcpu.SyncRegs.Rflags |= ResumeFlag;
            _vcpu.MarkRegsDirty();
            return;
        }
        Fault($"unexpected debug exit at 0x{pc:x} (no hypercall site there)");
    }

    /// <summary>A VMCALL through the xen intercept. KVM completes the exit by writing the result to RAX and skipping the
    /// instruction, after loading the run page's registers; so a #UD keeps RAX as it was and moves RIP back by the
    /// instruction's length for the skip to land on it. (Written from the kernel ABI: no host of ours offers this
    /// intercept, so it is untested here.)</summary>
    private void OnXenHypercall(ref KvmXenExit xen)
    {
        if (xen.Type != KvmXenExit.TypeHypercall)
        {
            Fault($"unexpected Xen exit type {xen.Type}");
            return;
        }
        if (xen.Cpl == 0 && xen.Longmode != 0 && _partition.AcceptsHypercalls)
        {
            xen.Result = Hypercall(advanceRip: false);
            return;
        }
        xen.Result = _vcpu.SyncRegs.Rax;
        _vcpu.SyncRegs.Rip -= 3;
        _vcpu.MarkRegsDirty();
        RaiseInvalidOpcode();
    }

    /// <summary>TLFS "Legal Hypercall Environments" (guest-abi.md): CPL 0 in long mode, 64-bit code. HvBench implements
    /// the 64-bit register conventions only, so a call from 32-bit protected mode is refused the same way.</summary>
    private bool IsHypercallEnvironment()
    {
        const ulong ProtectionEnable = 1, LongModeActive = 1 << 10;
        KvmSregs fetched = _vcpu.FillSyncSregs ? default : _vcpu.GetSregs();
        ref readonly KvmSregs sregs = ref _vcpu.FillSyncSregs ? ref _vcpu.SyncSregs : ref fetched;
        return (sregs.Cr0 & ProtectionEnable) != 0 && (sregs.Efer & LongModeActive) != 0 && sregs.Cs.L != 0 && sregs.Ss.Dpl == 0;
    }

    /// <summary>A VMCALL outside the legal environment, or before the guest OS id: #UD at the instruction, as KVM does.</summary>
    private void RaiseInvalidOpcode()
    {
        const byte InvalidOpcode = 6;
        _vcpu.InjectException(InvalidOpcode);
    }

    /// <summary>Runs the hypercall in the VP's registers (sync_regs, no GET/SET_REGS) and writes RAX; for the breakpoint
    /// intercept also steps over the 3-byte VMCALL. Returns the result value.</summary>
    private ulong Hypercall(bool advanceRip)
    {
        ref KvmRegs regs = ref _vcpu.SyncRegs;
        var input = new HypercallRegisters { Rax = regs.Rax, Rbx = regs.Rbx, Rcx = regs.Rcx, Rdx = regs.Rdx, R8 = regs.R8 };
        HypercallOutcome outcome = _partition.Hypercall(VpIndex, ref input);
        if (_trace is not null) TraceHypercall(ref regs, outcome);
        regs.Rax = input.Rax;
        if (advanceRip) regs.Rip += 3;
        _vcpu.MarkRegsDirty();
        return input.Rax;
    }

    /// <summary>HV_X64_MSR_HYPERCALL changed: the page's VMCALL becomes (or stops being) an intercept site on every VP.</summary>
    private void OnHypercallMsrWritten()
    {
        if (_machine.Breakpoints is not { } sites || _hypercallPort >= 0) return; // an I/O page needs no breakpoint
        if (!sites.SetHypercallPage(_partition.HypercallPageGpa))
        {
            _machine.Stop(RunOutcome.GuestFault, null,
                $"VP{VpIndex} enabled the hypercall page, but all {Intercepts.InterceptProbe.BreakpointSlots} debug registers already watch direct VMCALL sites " +
                "(--hypercall-page io needs none)");
            return;
        }
        // Every VP must carry the new breakpoint before any of them can call the page: apply ours, kick the others
        // and wait (bounded) until they have applied it too. A VP waiting here applies its own, so two VPs writing
        // the MSR at once cannot wait on each other.
        int version = sites.Version;
        BreakpointSitesApply();
        foreach (VcpuRunner other in _machine.Runners)
            if (other != this) other.Kick();
        var deadline = DateTime.UtcNow.AddSeconds(1);
        foreach (VcpuRunner other in _machine.Runners)
        {
            while (other != this && !other.HasFinished && other.AppliedBreakpoints < version && !_machine.Stopping && DateTime.UtcNow < deadline)
            {
                if (sites.Version != _appliedBreakpoints) BreakpointSitesApply();
                Thread.Yield();
            }
        }
    }

    private void BreakpointSitesApply()
    {
        if (_machine.Breakpoints is not { } sites) return;
        int version = sites.Version;
        _vcpu.SetHardwareBreakpoints(sites.All);
        Volatile.Write(ref _appliedBreakpoints, version);
    }

    private void TraceHypercall(ref KvmRegs regs, HypercallOutcome outcome)
    {
        bool rax = _partition.Convention == HypercallConvention.Rax;
        ulong first = rax ? regs.Rbx : regs.Rdx;
        ulong second = rax ? regs.Rcx : regs.R8;
        // A slow TLFS HvSignalEvent names its connection and flag only in the input block at the GPA in RDX, so the
        // register alone is ambiguous; read the block (into the stack, only with tracing on) so the trace says what was
        // signalled. An unreadable block is left undecoded: the call's own status says why.
        bool decoded = false;
        uint connection = 0;
        ushort flag = 0;
        if (!rax && !outcome.Fast && outcome.Code == HypercallCode.HvCallSignalEvent)
        {
            Span<byte> block = stackalloc byte[HvSignalEventInput.Size];
            if (_machine.Memory.TryRead(first, block))
            {
                var input = new HvSignalEventInput(System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(block));
                (decoded, connection, flag) = (true, input.ConnectionId, input.FlagNumber);
            }
        }

        _trace!.Record(new TraceEvent(_machine.ElapsedTicks, _partition.Id, VpIndex, TraceEventKind.Hypercall, VcpuExitReason.Unknown,
            outcome.CallCode, first, second, outcome.Status.Value, outcome.Fast, decoded, connection, flag));
    }

    private void TraceExit(VcpuExit exit)
    {
        ulong detail = exit.Reason switch
        {
            VcpuExitReason.Io => exit.Io.Port,
            VcpuExitReason.X86Rdmsr or VcpuExitReason.X86Wrmsr => exit.Msr.Index,
            VcpuExitReason.Debug => exit.Debug.Pc,
            VcpuExitReason.Mmio => exit.Mmio.PhysAddr,
            _ => 0,
        };
        ulong data = exit.Reason switch
        {
            VcpuExitReason.X86Wrmsr => exit.Msr.Data,
            VcpuExitReason.Io when exit.Io.Direction == 1 && exit.IoData.Length > 0 => exit.IoData[0],
            _ => 0,
        };
        _trace!.Record(new TraceEvent(_machine.ElapsedTicks, _partition.Id, VpIndex, TraceEventKind.Exit, exit.Reason, detail, data, 0, 0));
    }

    private void Fault(string reason)
    {
        ulong rip = SafeGetRip();
        var (instruction, symbol) = _machine.Describe(rip, SafeGetCodeBitness());
        string where = symbol is null ? $"0x{rip:x}" : $"0x{rip:x} <{symbol}>";
        _machine.Stop(RunOutcome.GuestFault, null, $"VP{VpIndex}: {reason} at RIP={where}: {instruction}");
    }

    private void ProbeHalt()
    {
        _haltProbeRequested = false;
        uint state = _vcpu.GetMpState();
        ulong rflags = _vcpu.GetRegs().Rflags;
        _haltedWithInterruptsOff = state == MpStateHalted && (rflags & InterruptFlag) == 0;
    }

    private ulong SafeGetRip()
    {
        try { return _vcpu.GetRegs().Rip; }
        catch (KvmException) { return 0; }
    }

    private int SafeGetCodeBitness()
    {
        try { return Disassembler.CodeBitness(_vcpu.GetSregs()); }
        catch (KvmException) { return 64; }
    }

    private RegisterSnapshot? TakeSnapshot()
    {
        try
        {
            return TakeSnapshot(_vcpu.GetRegs());
        }
        catch (KvmException)
        {
            return null;
        }
    }

    private RegisterSnapshot? TakeSnapshot(KvmRegs regs)
    {
        try
        {
            KvmSregs sregs = _vcpu.GetSregs();
            var (code, symbol) = _machine.CodeAndSymbolAt(regs.Rip);
            return new RegisterSnapshot(_partition.Id, VpIndex, regs, sregs.Cr0, sregs.Cr2, sregs.Cr3, sregs.Cr4, sregs.Efer, code, symbol,
                Disassembler.CodeBitness(sregs));
        }
        catch (KvmException)
        {
            return null;
        }
    }
}

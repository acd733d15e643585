using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using HvBench.Kvm.Interop;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace HvBench.Kvm;

/// <summary>A KVM virtual CPU: registers, MSRs, CPUID, LAPIC, guest debug, and <see cref="Run"/> with the
/// kvm_run page read as a typed view. One thread runs it; <see cref="Kick"/> may come from any thread.</summary>
public sealed unsafe class Vcpu : IDisposable
{
    private const uint SyncX86Regs = 1;  // KVM_SYNC_X86_REGS
    private const uint SyncX86Sregs = 2; // KVM_SYNC_X86_SREGS
    private const int KickSignal = 10;  // SIGUSR1; never SIGRTMIN, which the .NET runtime owns

    private static readonly object s_signalLock = new();
    private static PosixSignalRegistration? s_kickHandler;

    private readonly KvmFd _fd;
    private readonly int _fdValue;
    private readonly int _mmapSize;
    private byte* _run;
    private long _threadId;
    private ulong _validRegs = SyncX86Regs;

    internal Vcpu(VirtualMachine vm, int id, KvmFd fd, int mmapSize)
    {
        Vm = vm;
        Id = id;
        _fd = fd;
        _fdValue = fd.Value;
        _mmapSize = mmapSize;
        void* p = mmap(null, (size_t)mmapSize, PROT_READ | PROT_WRITE, MAP_SHARED, _fdValue, 0);
        if (p == MAP_FAILED)
        {
            int error = errno;
            fd.Dispose();
            throw new KvmException("mmap of kvm_run", error);
        }
        _run = (byte*)p;
        int syncRegs = vm.CheckExtension(KvmCap.SyncRegs);
        SyncRegsAvailable = (syncRegs & SyncX86Regs) != 0;
        SyncSregsAvailable = (syncRegs & SyncX86Sregs) != 0;
        EnsureKickHandler();
    }

    /// <summary>The VM this vCPU belongs to.</summary>
    public VirtualMachine Vm { get; }

    /// <summary>The vCPU id given to KVM_CREATE_VCPU (also its initial APIC id).</summary>
    public int Id { get; }

    /// <summary>True when KVM_CAP_SYNC_REGS offers the general registers through the run page.</summary>
    public bool SyncRegsAvailable { get; }

    /// <summary>True when KVM_CAP_SYNC_REGS offers the special registers through the run page.</summary>
    public bool SyncSregsAvailable { get; }

    /// <summary>Whether <see cref="Run"/> asks KVM to fill <see cref="SyncSregs"/> at every exit too (off by default:
    /// it is extra work on every exit, worth it only where the segment state is needed on a hot path).</summary>
    public bool FillSyncSregs
    {
        get => _validRegs == (SyncX86Regs | SyncX86Sregs);
        set
        {
            if (value && !SyncSregsAvailable) throw new InvalidOperationException("this KVM does not offer KVM_SYNC_X86_SREGS");
            _validRegs = value ? SyncX86Regs | SyncX86Sregs : SyncX86Regs;
        }
    }

    private ref KvmRunHeader Header => ref Unsafe.AsRef<KvmRunHeader>(_run);

    internal byte* RunPage => _run;

    /// <summary>The general registers in kvm_run's sync_regs area, valid after <see cref="Run"/> returned.
    /// Change them through this reference and call <see cref="MarkRegsDirty"/> so KVM takes them.</summary>
    public ref KvmRegs SyncRegs => ref Unsafe.AsRef<KvmRegs>(_run + KvmRunLayout.SyncRegs);

    /// <summary>The special registers in kvm_run's sync_regs area, valid after <see cref="Run"/> returned while
    /// <see cref="FillSyncSregs"/> is on. Read-only here: HvBench never hands them back through the run page.</summary>
    public ref readonly KvmSregs SyncSregs => ref Unsafe.AsRef<KvmSregs>(_run + KvmRunLayout.SyncRegs + sizeof(KvmRegs));

    /// <summary>kvm_run's <c>request_interrupt_window</c>: ask KVM_RUN to return with KVM_EXIT_IRQ_WINDOW_OPEN as soon as
    /// the guest can take an external interrupt (only meaningful without an in-kernel LAPIC).</summary>
    public bool RequestInterruptWindow
    {
        get => Header.RequestInterruptWindow != 0;
        set => Header.RequestInterruptWindow = value ? (byte)1 : (byte)0;
    }

    /// <summary>kvm_run's <c>ready_for_interrupt_injection</c> after an exit: a <see cref="Interrupt"/> now would be
    /// taken at the next entry.</summary>
    public bool ReadyForInterruptInjection => Header.ReadyForInterruptInjection != 0;

    /// <summary>kvm_run's <c>if_flag</c> after an exit: the guest's RFLAGS.IF.</summary>
    public bool InterruptFlag => Header.IfFlag != 0;

    /// <summary>Tells KVM to load <see cref="SyncRegs"/> into the vCPU at the next <see cref="Run"/>.</summary>
    public void MarkRegsDirty() => *(ulong*)(_run + KvmRunLayout.DirtyRegs) |= SyncX86Regs;

    /// <summary>KVM_RUN once and returns the exit; EINTR/EAGAIN give <see cref="VcpuExitReason.Interrupted"/>.
    /// Allocates nothing.</summary>
    public VcpuExit Run()
    {
        if (SyncRegsAvailable) *(ulong*)(_run + KvmRunLayout.ValidRegs) = _validRegs; // kvm_valid_regs: what to fill in s.regs at exit
        int result = ioctl(_fdValue, KvmIoctls.Run, (void*)null);
        if (result < 0)
        {
            int error = errno;
            if (error == 4 /* EINTR */ || error == 11 /* EAGAIN */)
            {
                Volatile.Write(ref Header.ImmediateExit, 0);
                return new VcpuExit(_run, VcpuExitReason.Interrupted);
            }
            Sys.ThrowIoctlFailed("KVM_RUN", error);
        }
        return new VcpuExit(_run, (VcpuExitReason)Header.ExitReason);
    }

    /// <summary>Makes the thread in <see cref="Run"/> return <see cref="VcpuExitReason.Interrupted"/> soon:
    /// sets immediate_exit first (so a kick just before KVM_RUN is not lost), then signals the thread.</summary>
    public void Kick()
    {
        Volatile.Write(ref Header.ImmediateExit, 1);
        long tid = Volatile.Read(ref _threadId);
        if (tid != 0) syscall(234 /* tgkill */, (int)getpid(), (int)tid, KickSignal);
    }

    /// <summary>Records the calling thread as the one that runs this vCPU, so <see cref="Kick"/> can reach it.</summary>
    public void BindToCurrentThread() => Volatile.Write(ref _threadId, (long)syscall(186 /* gettid */));

    /// <summary>Forgets the running thread (call when the thread leaves its run loop).</summary>
    public void UnbindThread() => Volatile.Write(ref _threadId, 0);

    /// <summary>KVM_GET_REGS.</summary>
    public KvmRegs GetRegs()
    {
        KvmRegs regs;
        Sys.Ioctl(_fdValue, KvmIoctls.GetRegs, &regs, "KVM_GET_REGS");
        return regs;
    }

    /// <summary>KVM_SET_REGS.</summary>
    public void SetRegs(in KvmRegs regs)
    {
        fixed (KvmRegs* p = &regs) Sys.Ioctl(_fdValue, KvmIoctls.SetRegs, p, "KVM_SET_REGS");
    }

    /// <summary>KVM_GET_SREGS.</summary>
    public KvmSregs GetSregs()
    {
        KvmSregs sregs;
        Sys.Ioctl(_fdValue, KvmIoctls.GetSregs, &sregs, "KVM_GET_SREGS");
        return sregs;
    }

    /// <summary>KVM_SET_SREGS.</summary>
    public void SetSregs(in KvmSregs sregs)
    {
        fixed (KvmSregs* p = &sregs) Sys.Ioctl(_fdValue, KvmIoctls.SetSregs, p, "KVM_SET_SREGS");
    }

    /// <summary>KVM_SET_MSRS for one MSR.</summary>
    public void SetMsr(uint index, ulong value)
    {
        byte* buffer = stackalloc byte[sizeof(KvmMsrs) + sizeof(KvmMsrEntry)];
        *(KvmMsrs*)buffer = new KvmMsrs { Nmsrs = 1 };
        *(KvmMsrEntry*)(buffer + sizeof(KvmMsrs)) = new KvmMsrEntry { Index = index, Data = value };
        if (Sys.Ioctl(_fdValue, KvmIoctls.SetMsrs, buffer, "KVM_SET_MSRS") != 1)
            throw new KvmException($"KVM_SET_MSRS(0x{index:x})", "set 0 of 1 MSRs: KVM refused the index or the value");
    }

    /// <summary>KVM_GET_MSRS for one MSR.</summary>
    public ulong GetMsr(uint index)
    {
        byte* buffer = stackalloc byte[sizeof(KvmMsrs) + sizeof(KvmMsrEntry)];
        *(KvmMsrs*)buffer = new KvmMsrs { Nmsrs = 1 };
        *(KvmMsrEntry*)(buffer + sizeof(KvmMsrs)) = new KvmMsrEntry { Index = index };
        if (Sys.Ioctl(_fdValue, KvmIoctls.GetMsrs, buffer, "KVM_GET_MSRS") != 1)
            throw new KvmException($"KVM_GET_MSRS(0x{index:x})", "read 0 of 1 MSRs: KVM does not know the index");
        return ((KvmMsrEntry*)(buffer + sizeof(KvmMsrs)))->Data;
    }

    /// <summary>KVM_SET_CPUID2: the CPUID table this vCPU's guest sees.</summary>
    public void SetCpuid(ReadOnlySpan<KvmCpuidEntry2> entries)
    {
        int size = sizeof(KvmCpuid2) + entries.Length * sizeof(KvmCpuidEntry2);
        byte[] buffer = new byte[size];
        fixed (byte* p = buffer)
        {
            *(KvmCpuid2*)p = new KvmCpuid2 { Nent = (uint)entries.Length };
            entries.CopyTo(new Span<KvmCpuidEntry2>(p + sizeof(KvmCpuid2), entries.Length));
            Sys.Ioctl(_fdValue, KvmIoctls.SetCpuid2, p, "KVM_SET_CPUID2");
        }
    }

    /// <summary>KVM_SET_MP_STATE (0 = RUNNABLE, 1 = UNINITIALIZED, 2 = INIT_RECEIVED, 3 = HALTED, 4 = SIPI_RECEIVED).</summary>
    public void SetMpState(uint state)
    {
        var mp = new KvmMpState { MpState = state };
        Sys.Ioctl(_fdValue, KvmIoctls.SetMpState, &mp, "KVM_SET_MP_STATE");
    }

    /// <summary>KVM_GET_MP_STATE.</summary>
    public uint GetMpState()
    {
        KvmMpState mp;
        Sys.Ioctl(_fdValue, KvmIoctls.GetMpState, &mp, "KVM_GET_MP_STATE");
        return mp.MpState;
    }

    /// <summary>KVM_SET_GUEST_DEBUG with hardware execution breakpoints at the given linear addresses
    /// (at most four); an empty list turns guest debugging off.</summary>
    public void SetHardwareBreakpoints(ReadOnlySpan<ulong> addresses)
    {
        if (addresses.Length > 4) throw new ArgumentException("at most four hardware breakpoints (DR0..DR3)", nameof(addresses));
        var debug = new KvmGuestDebug();
        if (addresses.Length > 0)
        {
            debug.Control = 0x1 | 0x20000; // KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW_BP
            ulong dr7 = 0x400;             // bit 10 reads as one
            for (int i = 0; i < addresses.Length; i++)
            {
                debug.Debugreg[i] = addresses[i];
                dr7 |= 1UL << (2 * i);     // Li: local enable; R/W and LEN 00 = instruction execution
            }
            debug.Debugreg[7] = dr7;
        }
        Sys.Ioctl(_fdValue, KvmIoctls.SetGuestDebug, &debug, "KVM_SET_GUEST_DEBUG");
    }

    /// <summary>KVM_GET_LAPIC into <paramref name="state"/> (the 1 KiB xAPIC register page).</summary>
    public void GetLapic(out KvmLapicState state)
    {
        fixed (KvmLapicState* p = &state) Sys.Ioctl(_fdValue, KvmIoctls.GetLapic, p, "KVM_GET_LAPIC");
    }

    /// <summary>KVM_SET_LAPIC.</summary>
    public void SetLapic(in KvmLapicState state)
    {
        fixed (KvmLapicState* p = &state) Sys.Ioctl(_fdValue, KvmIoctls.SetLapic, p, "KVM_SET_LAPIC");
    }

    /// <summary>Injects exception <paramref name="vector"/> (one without an error code, such as #UD) at the current
    /// instruction: KVM_GET_VCPU_EVENTS, then KVM_SET_VCPU_EVENTS with the exception marked injected, which KVM
    /// delivers through the guest's IDT at the next <see cref="Run"/>. For rare paths: two ioctls.</summary>
    public void InjectException(byte vector)
    {
        KvmVcpuEvents events;
        Sys.Ioctl(_fdValue, KvmIoctls.GetVcpuEvents, &events, "KVM_GET_VCPU_EVENTS");
        events.ExceptionInjected = 1;
        events.ExceptionNr = vector;
        events.ExceptionHasErrorCode = 0;
        events.ExceptionErrorCode = 0;
        Sys.Ioctl(_fdValue, KvmIoctls.SetVcpuEvents, &events, "KVM_SET_VCPU_EVENTS");
    }

    /// <summary>KVM_INTERRUPT: queues an external interrupt (only without an in-kernel LAPIC).</summary>
    public void Interrupt(byte vector)
    {
        var irq = new KvmInterrupt { Irq = vector };
        Sys.Ioctl(_fdValue, KvmIoctls.Interrupt, &irq, "KVM_INTERRUPT");
    }

    /// <summary>KVM_GET_TSC_KHZ: this vCPU's TSC frequency in kHz.</summary>
    public int GetTscKhz() => Sys.Ioctl(_fdValue, KvmIoctls.GetTscKhz, null, "KVM_GET_TSC_KHZ");

    /// <summary>KVM_GET_STATS_FD: reads one named per-vCPU counter from the binary stats; null when absent.</summary>
    public ulong? ReadStat(string name) => BinaryStats.Read(_fdValue, name);

    /// <summary>Unmaps kvm_run and closes the fd; the vCPU's thread must have left <see cref="Run"/>.</summary>
    public void Dispose()
    {
        if (_run != null)
        {
            munmap(_run, (size_t)_mmapSize);
            _run = null;
        }
        _fd.Dispose();
    }

    private static void EnsureKickHandler()
    {
        lock (s_signalLock)
        {
            // The runtime's native handler runs; Cancel = true stops the default action (process exit).
            s_kickHandler ??= PosixSignalRegistration.Create((PosixSignal)KickSignal, static context => context.Cancel = true);
        }
    }
}

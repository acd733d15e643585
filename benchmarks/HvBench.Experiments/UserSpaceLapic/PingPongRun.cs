using System.Diagnostics;
using System.Runtime.InteropServices;
using HvBench.Kvm;
using HvBench.Kvm.Interop;
using HvBench.Vmm.Boot;

namespace HvBench.Experiments.UserSpaceLapic;

/// <summary>Builds the two-VP <see cref="LapicPingPongGuest"/> for one <see cref="SignalPath"/>, runs it to the end on
/// two threads, and returns the samples and host-side counts.</summary>
public sealed class PingPongRun
{
    private const int Vp0 = 0, Vp1 = 1;
    private const int IsrByte = 0x100 + LapicPingPongGuest.Vector / 32 * 0x10 + LapicPingPongGuest.Vector % 32 / 8;
    private const int IrrByte = 0x200 + LapicPingPongGuest.Vector / 32 * 0x10 + LapicPingPongGuest.Vector % 32 / 8;
    private const byte VectorMask = 1 << (LapicPingPongGuest.Vector % 8);

    private readonly SignalPath _path;
    private readonly int _totalRounds;
    private readonly long[][] _exits = [new long[64], new long[64]];
    private readonly CancellationTokenSource _stop = new();
    private VirtualMachine _vm = null!;
    private Vcpu[] _vcpus = null!;
    private MinimalUserSpaceLapic? _lapic;
    private int _isrPending;            // A with ISR clearing: a vector was injected and its ISR bit not yet looked at
    private long _getLapic, _setLapic, _isrSet, _irrSet, _lapicTicks;
    private Exception? _failure;
    private VcpuExitReason _lastVp1Exit;

    // Keeps the MSI out of a KVM_GET_LAPIC … KVM_SET_LAPIC pair, which would write the old IRR back over it
    // (HvBench's LapicWriteGate does the same job).
    private readonly Lock _lapicWriteGate = new();

    private PingPongRun(SignalPath path, int totalRounds)
    {
        _path = path;
        _totalRounds = totalRounds;
    }

    /// <summary>Runs <paramref name="warmup"/> + <paramref name="rounds"/> rounds on <paramref name="path"/> and keeps
    /// the last <paramref name="rounds"/> samples. Throws on a KVM error, an unexpected exit, <paramref name="timeout"/>
    /// or <paramref name="cancellation"/>.</summary>
    public static PingPongResult Measure(SignalPath path, int warmup, int rounds, TimeSpan timeout, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(warmup);
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        return new PingPongRun(path, warmup + rounds).Execute(warmup, timeout, cancellation);
    }

    private PingPongResult Execute(int warmup, TimeSpan timeout, CancellationToken cancellation)
    {
        using var kvm = KvmSystem.Open();
        ulong ramSize = LapicPingPongGuest.MemoryBytes(_totalRounds);
        var memory = new GuestMemory(ramSize);
        try
        {
            _vm = kvm.CreateVm();
            _vm.MapMemory(memory);
        }
        catch
        {
            _vm?.Dispose();
            memory.Dispose();
            throw;
        }
        using VirtualMachine vm = _vm;
        bool inKernel = _path != SignalPath.UserSpace;
        if (inKernel) vm.CreateSplitIrqchip(ioapicPins: 0); // as the machine does
        BootLayout.WriteBootStructures(memory);
        LapicPingPongGuest.Write(memory.GetSpan(0, checked((int)ramSize)), _totalRounds);
        KvmCpuidEntry2[] supported = kvm.GetSupportedCpuid();
        _vcpus = new Vcpu[2];
        for (int i = 0; i < 2; i++)
        {
            Vcpu vcpu = vm.CreateVcpu(i);
            vcpu.SetCpuid(CpuidTable.ForVp(supported, i));
            BootLayout.SetSpecialRegisters(vcpu);
            BootLayout.SetGeneralRegisters(vcpu, LapicPingPongGuest.CodeBase, i, 2, ramSize);
            // With an in-kernel LAPIC the AP waits for SIPI (host-kvm.md); without one every vCPU starts runnable.
            if (inKernel) vcpu.SetMpState(0 /* KVM_MP_STATE_RUNNABLE */);
            _vcpus[i] = vcpu;
        }
        if (!inKernel) _lapic = new MinimalUserSpaceLapic(_vcpus[Vp1]);
        int tscKhz = _vcpus[Vp0].GetTscKhz();

        using CancellationTokenRegistration cancelled = cancellation.Register(() => Fail(new OperationCanceledException("cancelled")));
        var clock = Stopwatch.StartNew();
        var threads = new[] { new Thread(() => Guarded(RunVp0)), new Thread(() => Guarded(RunVp1)) };
        foreach (Thread t in threads) t.Start();
        bool finished = threads[0].Join(timeout);
        if (!finished)
            Fail(new TimeoutException($"the guest did not finish {_totalRounds} rounds in {timeout}: VP1 acknowledged " +
                $"{memory.ReadUInt64(LapicPingPongGuest.Acknowledged)}, VP1's last exit {_lastVp1Exit}" +
                (_lapic is null ? "" : $"; LAPIC: {_lapic.Describe()}")));
        foreach (Thread t in threads) t.Join();
        clock.Stop();
        if (_failure is not null) throw new InvalidOperationException($"{_path}: {_failure.Message}", _failure);

        int rounds = _totalRounds - warmup;
        ulong[] oneWay = MemoryMarshal.Cast<byte, ulong>(memory.GetSpan(LapicPingPongGuest.OneWaySamples, _totalRounds * 8))[warmup..].ToArray();
        ulong[] roundTrip = MemoryMarshal.Cast<byte, ulong>(memory.GetSpan(LapicPingPongGuest.RoundTripSamples(_totalRounds), _totalRounds * 8))[warmup..].ToArray();
        return new PingPongResult(_path, _totalRounds, tscKhz, oneWay, roundTrip,
            (long)memory.ReadUInt64(LapicPingPongGuest.Acknowledged), (uint)memory.ReadUInt64(LapicPingPongGuest.ApicIdSeen),
            _exits, _getLapic, _setLapic, _isrSet, _irrSet, _lapicTicks * 1e6 / Stopwatch.Frequency,
            _lapic?.Injected ?? 0, _lapic?.WindowRequests ?? 0, _lapic?.Blocks ?? 0, _lapic?.Kicks ?? 0, clock.Elapsed);
    }

    private void Guarded(Action body)
    {
        try { body(); }
        catch (Exception e) { Fail(e); }
    }

    private void Fail(Exception e)
    {
        Interlocked.CompareExchange(ref _failure, e, null);
        StopAll();
    }

    private void StopAll()
    {
        _stop.Cancel();
        _lapic?.Stop();
        foreach (Vcpu v in _vcpus) v.Kick();
    }

    private void Count(int vp, VcpuExitReason reason) => _exits[vp][PingPongResult.SlotOf(reason)]++;

    private void RunVp0()
    {
        Vcpu vcpu = _vcpus[Vp0];
        vcpu.BindToCurrentThread();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                VcpuExit exit = vcpu.Run();
                Count(Vp0, exit.Reason);
                if (exit.Reason == VcpuExitReason.Interrupted) continue;
                if (exit.Reason != VcpuExitReason.Io) throw Unexpected(Vp0, exit.Reason);
                if (exit.Io.Port == LapicPingPongGuest.DonePort)
                {
                    StopAll();
                    return;
                }
                if (exit.Io.Port != LapicPingPongGuest.DoorbellPort) throw new InvalidOperationException($"VP0 wrote port 0x{exit.Io.Port:x}");
                Doorbell();
            }
        }
        finally
        {
            vcpu.UnbindThread();
        }
    }

    private void Doorbell()
    {
        switch (_path)
        {
            case SignalPath.UserSpace:
                _lapic!.Raise(LapicPingPongGuest.Vector);
                break;
            case SignalPath.InKernel:
                Send();
                break;
            default:
                // HvBench's auto-EOI (README "Auto-EOI"): inject, then kick the target so its thread can clear the ISR bit.
                lock (_lapicWriteGate) Send();
                Volatile.Write(ref _isrPending, 1);
                _vcpus[Vp1].Kick();
                break;
        }
    }

    private void Send()
    {
        if (!_vm.SignalMsi(Vp1, LapicPingPongGuest.Vector)) throw new InvalidOperationException("KVM_SIGNAL_MSI was not delivered");
    }

    private void RunVp1()
    {
        Vcpu vcpu = _vcpus[Vp1];
        vcpu.BindToCurrentThread();
        try
        {
            if (_lapic is null) RunVp1InKernel(vcpu);
            else RunVp1UserSpace(vcpu, _lapic);
        }
        finally
        {
            vcpu.UnbindThread();
        }
    }

    private void RunVp1InKernel(Vcpu vcpu)
    {
        while (!_stop.IsCancellationRequested)
        {
            VcpuExit exit = vcpu.Run();
            Count(Vp1, exit.Reason);
            if (exit.Reason != VcpuExitReason.Interrupted) throw Unexpected(Vp1, exit.Reason);
            if (Volatile.Read(ref _isrPending) != 0) ServiceIsr(vcpu);
        }
    }

    // What AutoEoi.Service does for one vector: read the LAPIC, clear the ISR bit of a taken vector and write it back;
    // a vector still in IRR stays pending for the next exit or kick.
    private void ServiceIsr(Vcpu vcpu)
    {
        long start = Stopwatch.GetTimestamp();
        using Lock.Scope gate = _lapicWriteGate.EnterScope();
        vcpu.GetLapic(out KvmLapicState lapic);
        _getLapic++;
        Span<byte> page = MemoryMarshal.AsBytes(new Span<KvmLapicState>(ref lapic));
        bool inService = (page[IsrByte] & VectorMask) != 0;
        bool requested = (page[IrrByte] & VectorMask) != 0;
        if (inService) _isrSet++;
        if (requested) _irrSet++;
        if (inService || _path == SignalPath.InKernelIsrRewrite)
        {
            page[IsrByte] &= unchecked((byte)~VectorMask);
            vcpu.SetLapic(lapic);
            _setLapic++;
        }
        if (!requested) Volatile.Write(ref _isrPending, 0);
        _lapicTicks += Stopwatch.GetTimestamp() - start;
    }

    private void RunVp1UserSpace(Vcpu vcpu, MinimalUserSpaceLapic lapic)
    {
        while (!_stop.IsCancellationRequested)
        {
            lapic.BeforeRun();
            VcpuExit exit = vcpu.Run();
            Count(Vp1, exit.Reason);
            _lastVp1Exit = exit.Reason;
            switch (exit.Reason)
            {
                case VcpuExitReason.Hlt:
                    if (!lapic.WaitWhileHalted()) return;
                    break;
                case VcpuExitReason.Mmio:
                    ref KvmRunMmio mmio = ref exit.Mmio;
                    if (!lapic.HandleMmio(mmio.PhysAddr, mmio.IsWrite != 0, exit.MmioData))
                        throw new InvalidOperationException($"VP1 touched MMIO at 0x{mmio.PhysAddr:x}");
                    break;
                case VcpuExitReason.IrqWindowOpen:
                case VcpuExitReason.Interrupted:
                    break;
                default:
                    throw Unexpected(Vp1, exit.Reason);
            }
        }
    }

    private static InvalidOperationException Unexpected(int vp, VcpuExitReason reason) => new($"VP{vp}: unexpected exit {reason}");
}

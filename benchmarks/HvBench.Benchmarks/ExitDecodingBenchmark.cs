using BenchmarkDotNet.Attributes;
using HvBench.Kvm;
using HvBench.Kvm.Interop;
using HvBench.Vmm;
using HvBench.Vmm.Devices;

namespace HvBench.Benchmarks;

/// <summary>The VMM's per-exit work before any device or model runs: decode the kvm_run page into a
/// <see cref="VcpuExit"/>, count it in the per-VP array (<see cref="RunStatistics.SlotOf"/>), read the typed fields, and
/// for a port-I/O exit dispatch it through the flat <see cref="PortBus"/> table (port 0x80, no device: the bench's
/// port-io-exit figure). The page is a <see cref="DetachedRunPage"/>, filled as KVM fills it; no KVM_RUN.</summary>
[MemoryDiagnoser]
public class ExitDecodingBenchmark
{
    private readonly long[] _exits = new long[RunStatistics.ReasonSlots];
    private DetachedRunPage _io = null!, _wrmsr = null!, _debug = null!;
    private PortBus _ports = null!;

    /// <summary>Three pages: an OUT to port 0x80, a WRMSR of SINT15, a debug exit at a VMCALL site.</summary>
    [GlobalSetup]
    public void SetUp()
    {
        _ports = new PortBus();
        _io = new DetachedRunPage();
        _io.SetIoExit(0x80, isOut: true, size: 1);
        _wrmsr = new DetachedRunPage();
        _wrmsr.SetExitReason(VcpuExitReason.X86Wrmsr);
        _wrmsr.Exit.Msr.Index = 0x4000009F;
        _wrmsr.Exit.Msr.Data = 0x10000;
        _debug = new DetachedRunPage();
        _debug.SetExitReason(VcpuExitReason.Debug);
        _debug.Exit.Debug.Pc = 0x300000;
    }

    /// <summary>Frees the pages.</summary>
    [GlobalCleanup]
    public void CleanUp()
    {
        _io.Dispose();
        _wrmsr.Dispose();
        _debug.Dispose();
    }

    /// <summary>Decode, count and dispatch a port-I/O exit.</summary>
    [Benchmark]
    public int PortIoExit()
    {
        VcpuExit exit = _io.Exit;
        _exits[RunStatistics.SlotOf(exit.Reason)]++;
        ref KvmRunIo io = ref exit.Io;
        _ports.Access(0, io.Port, io.Direction == 1, io.Size, exit.IoData);
        return io.Port;
    }

    /// <summary>Decode and count an MSR-write exit and read its index and value.</summary>
    [Benchmark]
    public ulong MsrWriteExit()
    {
        VcpuExit exit = _wrmsr.Exit;
        _exits[RunStatistics.SlotOf(exit.Reason)]++;
        ref KvmRunMsr msr = ref exit.Msr;
        return msr.Index ^ msr.Data;
    }

    /// <summary>Decode and count a debug exit and read the breakpoint's address.</summary>
    [Benchmark]
    public ulong DebugExit()
    {
        VcpuExit exit = _debug.Exit;
        _exits[RunStatistics.SlotOf(exit.Reason)]++;
        return exit.Debug.Pc;
    }
}

using BenchmarkDotNet.Attributes;
using HvBench.Hyperv;

namespace HvBench.Benchmarks;

/// <summary>The model's share of a synthetic-MSR exit: <see cref="Partition.ReadMsr"/> and <see cref="Partition.WriteMsr"/>
/// for the MSRs a guest touches most (a SINT register, SIEFP, VP_INDEX, EOM), as the VMM calls them for
/// KVM_EXIT_X86_RDMSR/WRMSR. No KVM: guest RAM is a managed array.</summary>
[MemoryDiagnoser]
public class MsrDispatchBenchmark
{
    private Partition _partition = null!;

    /// <summary>A two-VP partition with VP1's SynIC enabled.</summary>
    [GlobalSetup]
    public void SetUp()
    {
        _partition = new Partition(1, 2, PartitionPrivileges.SignalEvents | PartitionPrivileges.PostMessages, HypercallConvention.Tlfs, StatusProfile.Tlfs,
            new InMemoryGuestRam(1 << 20), new NullSintSink());
        _partition.WriteMsr(1, HvMsr.Siefp, 0x10000 | 1);
        _partition.WriteMsr(1, HvMsr.Simp, 0x11000 | 1);
        _partition.WriteMsr(1, HvMsr.Scontrol, 1);
    }

    /// <summary>RDMSR HV_X64_MSR_VP_INDEX.</summary>
    [Benchmark]
    public ulong ReadVpIndex()
    {
        _partition.ReadMsr(1, HvMsr.VpIndex, out ulong value);
        return value;
    }

    /// <summary>RDMSR SINT2.</summary>
    [Benchmark]
    public ulong ReadSint()
    {
        _partition.ReadMsr(1, HvMsr.Sint0 + 2, out ulong value);
        return value;
    }

    /// <summary>WRMSR SINT15 with its reset value (what <c>hvbench bench</c>'s msr-write figure writes).</summary>
    [Benchmark]
    public MsrAccess WriteSint() => _partition.WriteMsr(0, HvMsr.Sint0 + 15, 0x10000);

    /// <summary>WRMSR SIEFP (enabled, same page).</summary>
    [Benchmark]
    public MsrAccess WriteSiefp() => _partition.WriteMsr(1, HvMsr.Siefp, 0x10000 | 1);

    /// <summary>WRMSR EOM with no message queued: rescans VP1's 16 SINT queues.</summary>
    [Benchmark]
    public MsrAccess WriteEom() => _partition.WriteMsr(1, HvMsr.Eom, 0);

    /// <summary>RDMSR of an MSR the model does not implement (answered with #GP).</summary>
    [Benchmark]
    public MsrAccess ReadUnimplemented() => _partition.ReadMsr(1, 0x400000FF, out _);

    private sealed class NullSintSink : ISintSink
    {
        public void AssertSint(int vpIndex, byte vector, bool autoEoi)
        {
        }
    }
}

using BenchmarkDotNet.Attributes;
using HvBench.Hyperv;

namespace HvBench.Benchmarks;

/// <summary>The model's share of an HvSignalEvent round trip: decode the fast call, look up connection and port, check
/// the SynIC, OR the SIEF bit and decide to assert the SINT. No KVM: guest RAM is a managed array.</summary>
/// <remarks>The flag word is cleared before every call, so every call finds the flag clear, does the atomic OR and
/// reaches the sink, the path a real guest hits when it consumes each event.</remarks>
[MemoryDiagnoser]
public class SignalEventDispatchBenchmark
{
    private const ulong SiefGpa = 0x10000;
    private const int Sint = 2;
    private const uint ConnectionId = 7;
    private const ushort Flag = 5;

    private InMemoryGuestRam _ram = null!;
    private CountingSintSink _sink = null!;
    private Partition _partition = null!;
    private HypercallRegisters _registers;

    /// <summary>The register convention the guest uses.</summary>
    [Params(HypercallConvention.Tlfs, HypercallConvention.Rax)]
    public HypercallConvention Convention { get; set; }

    /// <summary>Builds a 1 MiB partition with one event port on VP1 SINT2 and connection 7 to it, set up through the MSRs.</summary>
    [GlobalSetup]
    public void SetUp()
    {
        _ram = new InMemoryGuestRam(1 << 20);
        _sink = new CountingSintSink();
        _partition = new Partition(1, 2, PartitionPrivileges.SignalEvents | PartitionPrivileges.PostMessages, Convention, StatusProfile.Tlfs, _ram, _sink);
        _partition.WriteMsr(1, HvMsr.Siefp, SiefGpa | 1);
        _partition.WriteMsr(1, HvMsr.Sint0 + Sint, 0x40);
        _partition.WriteMsr(1, HvMsr.Scontrol, 1);
        _partition.AddEventPort(portId: 1, targetVp: 1, targetSint: Sint, baseFlagNumber: 0, flagCount: 64);
        _partition.AddConnection(ConnectionId, _partition, portId: 1);
        _registers = Convention == HypercallConvention.Tlfs
            ? new HypercallRegisters { Rcx = 0x5D | HypercallInputValue.FastBit, Rdx = ConnectionId | ((ulong)Flag << 32) }
            : new HypercallRegisters { Rax = 0x5D, Rbx = ConnectionId, Rcx = Flag };
    }

    /// <summary>Checks that every call went 0 → 1 and raised the SINT.</summary>
    [GlobalCleanup]
    public void CleanUp()
    {
        if (_partition.SintAssertionCount != _sink.Count || _partition.GetHypercallCount(HvStatus.Success) != _sink.Count)
        {
            throw new InvalidOperationException("not every signal set a clear flag and asserted the SINT");
        }
    }

    /// <summary>One fast HvSignalEvent on VP0 targeting VP1.</summary>
    [Benchmark]
    public ulong FastSignalEvent()
    {
        _ram.Write64(SiefGpa + (Sint * 256), 0);
        HypercallRegisters registers = _registers;
        _partition.Hypercall(0, ref registers);
        return registers.Rax;
    }

    private sealed class CountingSintSink : ISintSink
    {
        public long Count;

        public void AssertSint(int vpIndex, byte vector, bool autoEoi) => Count++;
    }
}

using HvBench.Guest;
using HvBench.Guest.Runtime;
using HvBench.Vmm.Tests.Machines;
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Vmm.Tests.Hostile;

/// <summary>One VP writes random values (fixed seed) to every MSR of the synthetic range 0x40000000..0x400000FF, four
/// times each in shuffled order, then to MSRs nobody implements; then it reads every MSR of the range back. A #GP
/// handler counts each fault and steps over the instruction. The model answers the synthetic range (a #GP for what it
/// does not implement); unknown MSRs stay with KVM, which raises #GP for them.</summary>
[TestFixture, Category("Kvm")]
public sealed class AGuestWritingRandomValuesToEveryMsr
{
    private const int Seed = 0x4D5352;
    private const int WritesPerMsr = 4;
    private const ulong Ram = 64UL << 20;
    private const int SyntheticWriteFaults = 0, UnknownWriteFaults = 1, SyntheticReadFaults = 2, UnknownReadFaults = 3;

    /// <summary>Outside the synthetic range and implemented by nobody (not KVM's own 0x4B564Dxx either).</summary>
    private static readonly uint[] s_unknownMsrs =
        [0x40000100, 0x40000101, 0x400001FF, 0x40001000, 0x4FFFFFFF, 0x3FFFFFFF, 0x12345678, 0xDEADBEEF, 0xC0DE0000, 0x7FFFFFFF, 0xFFFFFFFF];

    private (uint Msr, ulong Value)[] _writes = [];
    private (uint Msr, ulong Value)[] _unknownWrites = [];
    private RunResult _result = null!;

    [OneTimeSetUp]
    public void RunTheGuest()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        byte[] image = Build(out _writes, out _unknownWrites);
        _result = GuestRun.Boot(image, timeoutSeconds: 30, token: cancel.Token, memoryBytes: Ram);
    }

    [Test]
    public void EndsWithAPassAfterEveryWriteAndRead() => Assert.That(_result.Verdict, Is.EqualTo("PASS"), HostileGuests.Describe(_result));

    [Test]
    public void FaultsOnExactlyTheWritesAReplayOfTheModelFaultsOn()
    {
        Partition replay = ModelReplay.NewPartition(Ram);
        int faults = _writes.Count(w => replay.WriteMsr(0, w.Msr, w.Value) != MsrAccess.Ok);
        TestContext.Out.WriteLine($"{_writes.Length} writes to the synthetic range, {faults} answered with #GP");
        Assert.That(faults, Is.Positive.And.LessThan(_writes.Length), "the values reach both answers");
        Assert.That(_result.Results!.Counters[SyntheticWriteFaults], Is.EqualTo((ulong)faults));
    }

    [Test]
    public void ReadsBackWhatAReplayOfTheModelReads()
    {
        Partition replay = ModelReplay.NewPartition(Ram);
        foreach (var (msr, value) in _writes) replay.WriteMsr(0, msr, value);
        ulong[] samples = _result.Results!.Samples;
        Assert.That(samples, Has.Length.EqualTo(512));
        int faults = 0;
        for (uint i = 0; i < 256; i++)
        {
            uint msr = HvMsr.RangeFirst + i;
            bool ok = replay.ReadMsr(0, msr, out ulong expected) == MsrAccess.Ok;
            faults += ok ? 0 : 1;
            Assert.That(samples[2 * i + 1], Is.EqualTo(ok ? 0UL : 1UL), $"RDMSR 0x{msr:X} faulted");
            if (ok) Assert.That(samples[2 * i], Is.EqualTo(expected), $"RDMSR 0x{msr:X}");
        }
        Assert.That(_result.Results.Counters[SyntheticReadFaults], Is.EqualTo((ulong)faults));
    }

    [Test]
    public void CountsEveryFaultItAnsweredInTheReportAndEveryMsrExit()
    {
        ulong[] counters = _result.Results!.Counters;
        long synthetic = (long)(counters[SyntheticWriteFaults] + counters[SyntheticReadFaults]);
        // Only the synthetic range leaves KVM (the MSR filter): unknown MSRs make no exit and HvBench counts no fault for them.
        Assert.That(_result.Statistics.Total(HvBench.Kvm.VcpuExitReason.X86Wrmsr), Is.EqualTo(_writes.Length));
        Assert.That(_result.Statistics.Total(HvBench.Kvm.VcpuExitReason.X86Rdmsr), Is.EqualTo(256));
        Assert.That(_result.Statistics.MsrFaults, Is.EqualTo(synthetic));
    }

    [Test]
    public void FaultsOnEveryUnknownMsr()
    {
        ulong[] counters = _result.Results!.Counters;
        // KVM raises #GP for an MSR it does not know unless the kvm module's ignore_msrs parameter is Y (it is N here).
        Assert.That(counters[UnknownWriteFaults], Is.EqualTo((ulong)_unknownWrites.Length), "WRMSR of an unknown MSR");
        Assert.That(counters[UnknownReadFaults], Is.EqualTo((ulong)s_unknownMsrs.Length), "RDMSR of an unknown MSR");
    }

    /// <summary>The guest and, through <paramref name="writes"/> and <paramref name="unknownWrites"/>, what it writes.</summary>
    private static byte[] Build(out (uint Msr, ulong Value)[] writes, out (uint Msr, ulong Value)[] unknownWrites)
    {
        var guest = new HypervGuest(maxVps: 1);
        var a = guest.Asm;
        var results = new ResultsBuffer(guest.Builder, 512);
        ulong faults = guest.Flag("gp_count");
        // Plausible page numbers point here, so an enabled hypercall page (which the model fills with VMCALL; RET)
        // lands in memory the guest does not otherwise use.
        ulong scratch = guest.Builder.Allocate("msr_scratch", 16 * 4096, 4096);
        HostileGuests.EmitMsrFaultSkipper(guest, faults);

        var random = new Random(Seed);
        writes = [.. Enumerable.Range(0, 256).SelectMany(i => Enumerable.Range(0, WritesPerMsr)
            .Select(k => (HvMsr.RangeFirst + (uint)i, Value(HvMsr.RangeFirst + (uint)i, k, random, scratch))))];
        random.Shuffle(writes);
        unknownWrites = [.. s_unknownMsrs.SelectMany(msr => new[] { (msr, (ulong)random.NextInt64()), (msr, 0UL) })];

        Label writeTable = HostileGuests.Table(guest.Builder, "synthetic_msr_writes");
        Label unknownTable = HostileGuests.Table(guest.Builder, "unknown_msr_writes");
        Label unknownReads = HostileGuests.Table(guest.Builder, "unknown_msr_reads");
        int writeCount = writes.Length, unknownCount = unknownWrites.Length;
        guest.OnVp(0, () =>
        {
            results.EmitInitialise();
            EmitWrites(a, writeTable, writeCount, faults, results.Counter(SyntheticWriteFaults));
            EmitWrites(a, unknownTable, unknownCount, faults, results.Counter(UnknownWriteFaults));
            EmitReadRange(a, faults, results);
            EmitReads(a, unknownReads, s_unknownMsrs.Length, faults, results.Counter(UnknownReadFaults));
            guest.Pass();
        });
        HostileGuests.EmitTable(guest.Builder, ref writeTable, [.. writes.SelectMany(w => new[] { (ulong)w.Msr, w.Value })]);
        HostileGuests.EmitTable(guest.Builder, ref unknownTable, [.. unknownWrites.SelectMany(w => new[] { (ulong)w.Msr, w.Value })]);
        HostileGuests.EmitTable(guest.Builder, ref unknownReads, [.. s_unknownMsrs.Select(m => (ulong)m)]);
        return guest.Build();
    }

    /// <summary>Four kinds of value: noise, a 32-bit value, one a guest might mean (a page with Enable set, a SINT
    /// vector with flags, a small number) and zero or noise.</summary>
    private static ulong Value(uint msr, int kind, Random random, ulong scratch)
    {
        ulong noise = (ulong)random.NextInt64() ^ ((ulong)random.Next() << 63);
        return kind switch
        {
            0 => noise,
            1 => noise & 0xFFFF_FFFF,
            2 => msr switch
            {
                HvMsr.Hypercall or HvMsr.Siefp or HvMsr.Simp => (scratch + (uint)random.Next(16) * 4096UL) | (uint)random.Next(4),
                >= HvMsr.Sint0 and <= HvMsr.Sint15 => (uint)random.Next(256) | ((ulong)(uint)random.Next(8) << 16),
                HvMsr.GuestOsId => noise | 1,
                _ => (ulong)random.Next(4),
            },
            _ => random.Next(2) == 0 ? 0 : noise,
        };
    }

    /// <summary>WRMSR for each (MSR, value) pair of the table; then the faults it caused go to <paramref name="counter"/>.</summary>
    private static void EmitWrites(Assembler a, Label table, int count, ulong faults, ulong counter)
    {
        Label next = a.CreateLabel();
        a.mov(rax, faults);
        a.mov(rbx, __qword_ptr[rax]);
        a.lea(rsi, __[table]);
        a.mov(r14d, count);
        a.Label(ref next);
        a.mov(ecx, __dword_ptr[rsi]);
        a.mov(eax, __dword_ptr[rsi + 8]);
        a.mov(edx, __dword_ptr[rsi + 12]);
        a.wrmsr();
        a.add(rsi, 16);
        a.dec(r14d);
        a.jnz(next);
        EmitStoreFaultsSince(a, rbx, faults, counter);
    }

    /// <summary>RDMSR of every MSR in the synthetic range: samples[2i] = value, samples[2i+1] = 1 if it faulted.</summary>
    private static void EmitReadRange(Assembler a, ulong faults, ResultsBuffer results)
    {
        Label next = a.CreateLabel();
        a.mov(rax, faults);
        a.mov(r9, __qword_ptr[rax]);
        a.mov(r15d, HvMsr.RangeFirst);
        a.mov(rdi, results.Samples);
        a.Label(ref next);
        a.mov(rax, faults);
        a.mov(rbx, __qword_ptr[rax]);
        a.mov(ecx, r15d);
        a.xor(eax, eax);
        a.xor(edx, edx);
        a.rdmsr();
        a.shl(rdx, 32);
        a.or(rax, rdx);
        a.mov(__qword_ptr[rdi], rax);
        a.mov(rax, faults);
        a.mov(rax, __qword_ptr[rax]);
        a.sub(rax, rbx);
        a.mov(__qword_ptr[rdi + 8], rax);
        a.add(rdi, 16);
        a.inc(r15d);
        a.cmp(r15d, HvMsr.RangeLast + 1);
        a.jb(next);
        a.mov(rax, results.SampleCount);
        a.mov(__qword_ptr[rax], 512);
        EmitStoreFaultsSince(a, r9, faults, results.Counter(SyntheticReadFaults));
    }

    /// <summary>RDMSR of each MSR number in the table; the faults go to <paramref name="counter"/>.</summary>
    private static void EmitReads(Assembler a, Label table, int count, ulong faults, ulong counter)
    {
        Label next = a.CreateLabel();
        a.mov(rax, faults);
        a.mov(rbx, __qword_ptr[rax]);
        a.lea(rsi, __[table]);
        a.mov(r14d, count);
        a.Label(ref next);
        a.mov(ecx, __dword_ptr[rsi]);
        a.rdmsr();
        a.add(rsi, 8);
        a.dec(r14d);
        a.jnz(next);
        EmitStoreFaultsSince(a, rbx, faults, counter);
    }

    private static void EmitStoreFaultsSince(Assembler a, AssemblerRegister64 before, ulong faults, ulong counter)
    {
        a.mov(rax, faults);
        a.mov(rax, __qword_ptr[rax]);
        a.sub(rax, before);
        a.mov(rdx, counter);
        a.mov(__qword_ptr[rdx], rax);
    }
}

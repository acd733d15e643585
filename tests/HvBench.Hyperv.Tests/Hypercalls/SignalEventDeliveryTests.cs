using HvBench.Hyperv.Tests.Support;

namespace HvBench.Hyperv.Tests.Hypercalls;

[TestFixture]
[Category("Unit")]
[TestFixtureSource(typeof(Forms), nameof(Forms.AllConventions))]
public sealed class SignalEventToAClearFlag(HypercallConvention convention)
{
    [Test]
    public void SetsExactlyThatBitOfTheSintSlot()
    {
        var bed = new HvTestBed(convention);
        bed.Signal(flag: 11);

        // Flag 11 of SINT2: byte 2 * 256 + 1 of VP1's SIEF page, bit 3.
        byte[] page = bed.Memory.Peek(HvTestBed.SiefVp1, 4096);
        byte[] expected = new byte[4096];
        expected[(2 * 256) + 1] = 1 << 3;
        Assert.That(page, Is.EqualTo(expected));
    }

    [Test]
    public void UsesOneAtomicOrOnTheContainingWord()
    {
        var bed = new HvTestBed(convention);
        bed.Signal(flag: 11);
        Assert.That(bed.Memory.Writes, Is.EqualTo(new[] { new MemoryWrite(HvTestBed.SiefVp1 + 512, 8, 1UL << 11, IsAtomicOr: true) }));
    }

    [Test]
    public void AssertsTheSintOnceWithItsVector()
    {
        var bed = new HvTestBed(convention);
        bed.Signal(flag: 11);
        Assert.Multiple(() =>
        {
            Assert.That(bed.Sink.Assertions, Is.EqualTo(new[] { new SintAssertion(1, HvTestBed.EventVector, AutoEoi: false) }));
            Assert.That(bed.Partition.SintAssertionCount, Is.EqualTo(1));
        });
    }

    [Test]
    public void LeavesOtherBitsOfTheWordAlone()
    {
        var bed = new HvTestBed(convention);
        bed.Memory.Poke64(HvTestBed.SiefVp1 + 512, 0x8000_0000_0000_0001UL);
        bed.Signal(flag: 11);
        Assert.That(bed.Memory.Peek64(HvTestBed.SiefVp1 + 512), Is.EqualTo(0x8000_0000_0000_0801UL));
    }
}

[TestFixture]
[Category("Unit")]
[TestFixtureSource(typeof(Forms), nameof(Forms.AllConventions))]
public sealed class SignalEventToAFlagAlreadySet(HypercallConvention convention)
{
    [Test]
    public void ReturnsSuccess()
    {
        var bed = new HvTestBed(convention);
        bed.Signal(flag: 4);
        Assert.That(bed.Signal(flag: 4), Is.EqualTo(HvStatus.Success));
    }

    [Test]
    public void RaisesNoSecondInterrupt()
    {
        var bed = new HvTestBed(convention);
        bed.Signal(flag: 4);
        bed.Signal(flag: 4);
        bed.Signal(flag: 4);
        Assert.That(bed.Sink.Count, Is.EqualTo(1));
    }

    [Test]
    public void RaisesItAgainOnceTheGuestClearedTheFlag()
    {
        var bed = new HvTestBed(convention);
        bed.Signal(flag: 4);
        bed.Memory.AtomicAnd64(HvTestBed.SiefVp1 + 512, ~(1UL << 4));
        bed.Signal(flag: 4);
        Assert.That(bed.Sink.Count, Is.EqualTo(2));
    }

    [Test]
    public void StillInterruptsForAnotherClearFlagOfTheSameWord()
    {
        var bed = new HvTestBed(convention);
        bed.Signal(flag: 4);
        bed.Signal(flag: 5);
        Assert.That(bed.Sink.Count, Is.EqualTo(2));
    }
}

[TestFixture]
[Category("Unit")]
[TestFixtureSource(typeof(Forms), nameof(Forms.AllConventions))]
public sealed class SignalEventToAPollingSint(HypercallConvention convention)
{
    private HvTestBed _bed = null!;

    [SetUp]
    public void SetUp()
    {
        _bed = new HvTestBed(convention);
        _bed.WriteMsrOk(HvTestBed.EventTargetVp, HvMsr.Sint0 + HvTestBed.EventSint, SintRegister.PollingBit | HvTestBed.EventVector);
    }

    [Test]
    public void ReturnsSuccessAndSetsTheFlag()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_bed.Signal(flag: 2), Is.EqualTo(HvStatus.Success));
            Assert.That(_bed.FlagIsSet(HvTestBed.EventTargetVp, HvTestBed.EventSint, 2), Is.True);
        });
    }

    [Test]
    public void RaisesNoInterrupt()
    {
        _bed.Signal(flag: 2);
        Assert.Multiple(() =>
        {
            Assert.That(_bed.Sink.Count, Is.Zero);
            Assert.That(_bed.Partition.SintAssertionCount, Is.Zero);
        });
    }
}

[TestFixture]
[Category("Unit")]
public sealed class SignalEventToAnAutoEoiSint
{
    [Test]
    public void PassesAutoEoiToTheSink()
    {
        var bed = new HvTestBed();
        bed.WriteMsrOk(HvTestBed.EventTargetVp, HvMsr.Sint0 + HvTestBed.EventSint, SintRegister.AutoEoiBit | 0xE0);
        bed.Signal();
        Assert.That(bed.Sink.Assertions, Is.EqualTo(new[] { new SintAssertion(HvTestBed.EventTargetVp, 0xE0, AutoEoi: true) }));
    }
}

[TestFixture]
[Category("Unit")]
public sealed class SignalEventThroughAPortWithABaseFlagNumber
{
    [TestCase((ushort)100, (ushort)10, (ushort)5, TestName = "{m}(base 100, flag 5)")]
    [TestCase((ushort)2000, (ushort)48, (ushort)47, TestName = "{m}(last flag of the slot, 2047)")]
    [TestCase((ushort)63, (ushort)2, (ushort)1, TestName = "{m}(crosses into the next word, 64)")]
    public void SetsBitBasePlusFlag(ushort baseFlag, ushort count, ushort flag)
    {
        var bed = new HvTestBed();
        bed.WriteMsrOk(0, HvMsr.Sint0 + 9, 0x90);
        bed.Partition.AddEventPort(50, 0, 9, baseFlag, count);
        bed.Partition.AddConnection(51, bed.Partition, 50);
        Assert.That(bed.Signal(51, flag), Is.EqualTo(HvStatus.Success));
        int bit = baseFlag + flag;
        Assert.Multiple(() =>
        {
            Assert.That(bed.FlagIsSet(0, 9, bit), Is.True);
            Assert.That(bed.SetFlagCount(0), Is.EqualTo(1));
            Assert.That(bed.Memory.Writes.Single().Gpa, Is.EqualTo(HvTestBed.SiefVp0 + (9 * 256) + (ulong)(bit / 64 * 8)));
        });
    }
}

[TestFixture]
[Category("Unit")]
public sealed class SignalEventToASiefPageOutsideRam
{
    private HvTestBed _bed = null!;

    [SetUp]
    public void SetUp()
    {
        _bed = new HvTestBed();
        _bed.WriteMsrOk(HvTestBed.EventTargetVp, HvMsr.Siefp, HvTestBed.RamSize | 1);
    }

    [Test]
    public void ReturnsSuccess() => Assert.That(_bed.Signal(), Is.EqualTo(HvStatus.Success));

    [Test]
    public void WritesNothingAndRaisesNothing()
    {
        _bed.Signal();
        Assert.Multiple(() =>
        {
            Assert.That(_bed.Memory.IsZero(0, (int)HvTestBed.RamSize), Is.True);
            Assert.That(_bed.Sink.Count, Is.Zero);
        });
    }
}

/// <summary>A connection of partition A to an event port of partition B.</summary>
[TestFixture]
[Category("Unit")]
[TestFixtureSource(typeof(Forms), nameof(Forms.AllConventions))]
public sealed class SignalEventAcrossPartitions(HypercallConvention convention)
{
    private HvTestBed _a = null!;
    private HvTestBed _b = null!;

    [SetUp]
    public void SetUp()
    {
        _a = new HvTestBed(convention, vpCount: 4, partitionId: 1);
        _b = new HvTestBed(HypercallConvention.Tlfs, vpCount: 2, partitionId: 2);
        _b.Partition.AddEventPort(70, targetVp: 1, targetSint: 2, baseFlagNumber: 128, flagCount: 16);
        _b.Partition.AddEventPort(71, targetVp: 3, targetSint: 2, baseFlagNumber: 0, flagCount: 16);
        _a.Partition.AddConnection(700, _b.Partition, 70);
        _a.Partition.AddConnection(701, _b.Partition, 71);
    }

    [Test]
    public void SetsTheBitInTheMemoryOfThePortsPartition()
    {
        Assert.That(_a.Signal(700, 3), Is.EqualTo(HvStatus.Success));
        Assert.Multiple(() =>
        {
            Assert.That(_b.FlagIsSet(1, 2, 131), Is.True);
            Assert.That(_b.SetFlagCount(1), Is.EqualTo(1));
            Assert.That(_a.Memory.Writes, Is.Empty);
        });
    }

    [Test]
    public void AssertsTheSintThroughTheSinkOfThePortsPartition()
    {
        _a.Signal(700, 3);
        Assert.Multiple(() =>
        {
            Assert.That(_b.Sink.Assertions, Is.EqualTo(new[] { new SintAssertion(1, HvTestBed.EventVector, false) }));
            Assert.That(_a.Sink.Count, Is.Zero);
            Assert.That(_b.Partition.SintAssertionCount, Is.EqualTo(1));
            Assert.That(_a.Partition.SintAssertionCount, Is.Zero);
        });
    }

    [Test]
    public void CountsTheHypercallInTheCallingPartition()
    {
        _a.Signal(700, 3);
        Assert.Multiple(() =>
        {
            Assert.That(_a.Partition.GetHypercallCount(HvStatus.Success), Is.EqualTo(1));
            Assert.That(_b.Partition.HypercallCount, Is.Zero);
        });
    }

    [Test]
    public void UsesThePrivilegesOfTheCaller()
    {
        _b.Partition.Privileges = PartitionPrivileges.None;
        Assert.That(_a.Signal(700, 3), Is.EqualTo(HvStatus.Success));
        _a.Partition.Privileges = PartitionPrivileges.None;
        Assert.That(_a.Signal(700, 3), Is.EqualTo(HvStatus.AccessDenied));
    }

    [Test]
    public void ReturnsInvalidPortIdWhenThePortsPartitionIsInactive()
    {
        _b.Partition.IsActive = false;
        Assert.That(_a.Signal(700, 3), Is.EqualTo(HvStatus.InvalidPortId));
    }

    [Test]
    public void ReturnsInvalidVpIndexAgainstTheVpCountOfThePortsPartition()
    {
        // VP 3 exists in the caller (4 VPs) but not in the port's partition (2 VPs).
        Assert.That(_a.Signal(701, 0), Is.EqualTo(HvStatus.InvalidVpIndex));
    }

    [Test]
    public void ReturnsInvalidPortIdOnceThePortIsRemoved()
    {
        _b.Partition.RemovePort(70);
        Assert.That(_a.Signal(700, 3), Is.EqualTo(HvStatus.InvalidPortId));
    }

    [Test]
    public void UsesTheSynicStateOfTheTargetVp()
    {
        _b.WriteMsrOk(1, HvMsr.Scontrol, 0);
        Assert.That(_a.Signal(700, 3), Is.EqualTo(HvStatus.InvalidSynicState));
    }
}

[TestFixture]
[Category("Unit")]
public sealed class FastSignalEventOnTheHotPath
{
    [TestCase(HypercallConvention.Tlfs)]
    [TestCase(HypercallConvention.Rax)]
    public void AllocatesNothing(HypercallConvention convention)
    {
        var memory = new FakeGuestMemory(HvTestBed.RamSize) { RecordWrites = false };
        var partition = new Partition(1, 2, HvTestBed.DefaultPrivileges, convention, StatusProfile.Tlfs, memory, new CountingSink());
        partition.WriteMsr(1, HvMsr.Siefp, HvTestBed.SiefVp1 | 1);
        partition.WriteMsr(1, HvMsr.Sint0 + 2, 0x40);
        partition.WriteMsr(1, HvMsr.Scontrol, 1);
        partition.AddEventPort(1, 1, 2, 0, 64);
        partition.AddConnection(7, partition, 1);
        var registers = new HypercallRegisters();

        void SignalMany(int count)
        {
            for (int i = 0; i < count; i++)
            {
                ulong flag = (ulong)(i & 63);
                if (convention == HypercallConvention.Tlfs)
                {
                    registers.Rcx = 0x5D | HypercallInputValue.FastBit;
                    registers.Rdx = 7 | (flag << 32);
                }
                else
                {
                    registers.Rax = 0x5D;
                    registers.Rbx = 7;
                    registers.Rcx = flag;
                }

                partition.Hypercall(0, ref registers);
                if ((i & 63) == 63)
                {
                    memory.Poke64(HvTestBed.SiefVp1 + 512, 0);
                }
            }
        }

        // Multiples of 64, so each batch starts with a cleared word and every call is a 0 → 1 change.
        const int Batch = 10_240;
        long allocated = AllocatedByTheLastBatch(() => SignalMany(Batch), out int batches);
        Assert.Multiple(() =>
        {
            Assert.That(allocated, Is.Zero, $"bytes allocated by the last of {batches} batches of {Batch} fast signals");
            Assert.That(partition.GetHypercallCount(HvStatus.Success), Is.EqualTo(batches * Batch));
            Assert.That(partition.SintAssertionCount, Is.EqualTo(batches * Batch));
        });
    }

    /// <summary>Guest errors are statuses and #GPs, not exceptions or messages: every refusal path of the dispatcher
    /// and the MSR handlers allocates nothing either.</summary>
    [Test]
    public void GuestErrorsAllocateNothing()
    {
        var memory = new FakeGuestMemory(HvTestBed.RamSize) { RecordWrites = false };
        var partition = new Partition(1, 6, HvTestBed.DefaultPrivileges, HypercallConvention.Tlfs, StatusProfile.Tlfs, memory, new CountingSink());
        var unprivileged = new Partition(2, 1, PartitionPrivileges.None, HypercallConvention.Tlfs, StatusProfile.Tlfs, memory, new CountingSink());
        partition.WriteMsr(1, HvMsr.Siefp, HvTestBed.SiefVp1 | 1);
        partition.WriteMsr(1, HvMsr.Sint0 + 2, 0x40);
        partition.WriteMsr(1, HvMsr.Scontrol, 1);
        partition.AddEventPort(1, targetVp: 1, targetSint: 2, baseFlagNumber: 0, flagCount: 4);
        partition.AddEventPort(2, targetVp: 0, targetSint: 2, baseFlagNumber: 0, flagCount: 4);   // VP0's SynIC is off
        partition.AddEventPort(3, targetVp: 6, targetSint: 2, baseFlagNumber: 0, flagCount: 4);   // VPs are 0..5
        partition.AddMessagePort(4, targetVp: 1, targetSint: 3);
        partition.AddConnection(7, partition, 1);
        partition.AddConnection(8, partition, 2);
        partition.AddConnection(10, partition, 4);
        partition.AddConnection(9, partition, 3);
        partition.AddConnection(11, partition, 99);                                                // a port that does not exist
        const ulong Fast = HypercallInputValue.FastBit;
        (HypercallRegisters Registers, HvStatus Expected)[] calls =
        [
            (new() { Rcx = 0x7777 | Fast }, HvStatus.InvalidHypercallCode),
            (new() { Rcx = 0x5D | Fast | (1UL << 27), Rdx = 7 }, HvStatus.InvalidHypercallInput),
            (new() { Rcx = 0x5D | Fast, Rdx = 7 | (1UL << 48) }, HvStatus.InvalidHypercallInput),
            (new() { Rcx = 0x5D, Rdx = 0x1004 }, HvStatus.InvalidAlignment),
            (new() { Rcx = 0x5D, Rdx = HvTestBed.RamSize + 0x1000 }, HvStatus.InvalidAlignment),
            (new() { Rcx = 0x5D | Fast, Rdx = 12345 }, HvStatus.InvalidConnectionId),
            (new() { Rcx = 0x5D | Fast, Rdx = 11 }, HvStatus.InvalidPortId),
            (new() { Rcx = 0x5D | Fast, Rdx = 10 }, HvStatus.InvalidPortId),
            (new() { Rcx = 0x5D | Fast, Rdx = 7 | (4UL << 32) }, HvStatus.InvalidParameter),
            (new() { Rcx = 0x5D | Fast, Rdx = 8 }, HvStatus.InvalidSynicState),
            (new() { Rcx = 0x5C, Rdx = 0x1004 }, HvStatus.InvalidAlignment),
            (new() { Rcx = 0x5D | Fast, Rdx = 9 }, HvStatus.InvalidVpIndex),
        ];
        var denied = new HypercallRegisters { Rcx = 0x5D | Fast, Rdx = 7 };

        void RefuseMany(int rounds)
        {
            for (int round = 0; round < rounds; round++)
            {
                for (int i = 0; i < calls.Length; i++)
                {
                    HypercallRegisters registers = calls[i].Registers;
                    partition.Hypercall(0, ref registers);
                    if (new HvStatus((ushort)registers.Rax) != calls[i].Expected) throw new AssertionException($"call {i} returned 0x{registers.Rax:X}");
                }

                HypercallRegisters unprivilegedCall = denied;
                unprivileged.Hypercall(0, ref unprivilegedCall);
                if (partition.WriteMsr(0, HvMsr.Sversion, 2) != MsrAccess.GeneralProtection ||
                    partition.WriteMsr(0, HvMsr.Sint0, 0x05) != MsrAccess.GeneralProtection ||
                    partition.ReadMsr(0, 0x400000FF, out _) != MsrAccess.GeneralProtection)
                {
                    throw new AssertionException("an invalid MSR access was not a #GP");
                }
            }
        }

        const int Rounds = 1_000;
        long allocated = AllocatedByTheLastBatch(() => RefuseMany(Rounds), out int batches);
        Assert.Multiple(() =>
        {
            Assert.That(allocated, Is.Zero, $"bytes allocated by the last of {batches} batches of {Rounds} rounds of refusals");
            Assert.That(unprivileged.GetHypercallCount(HvStatus.AccessDenied), Is.EqualTo(batches * Rounds));
            Assert.That(partition.GetHypercallCount(HvStatus.Success), Is.Zero);
        });
    }

    /// <summary>Runs <paramref name="batch"/> once to warm up, then again until a run allocates nothing on this thread
    /// (at most 20 runs in all), and returns what the last run allocated. The runtime's tiered JIT may allocate a little
    /// while it promotes the methods (seen once in a Release run); code that allocated per call never gives a clean run.</summary>
    private static long AllocatedByTheLastBatch(Action batch, out int batches)
    {
        const int MaxBatches = 20;
        batch();
        long allocated = -1;
        batches = 1;
        while (allocated != 0 && batches < MaxBatches)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            batch();
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            batches++;
        }

        return allocated;
    }

    private sealed class CountingSink : ISintSink
    {
        public void AssertSint(int vpIndex, byte vector, bool autoEoi)
        {
        }
    }
}

[TestFixture]
[Category("Unit")]
public sealed class HypercallCounters
{
    [Test]
    public void CountEachOutcomeByStatus()
    {
        var bed = new HvTestBed();
        bed.Signal();
        bed.Signal(flag: 1);
        bed.Signal(99);
        bed.Signal(flag: 1000);
        Assert.Multiple(() =>
        {
            Assert.That(bed.Partition.GetHypercallCount(HvStatus.Success), Is.EqualTo(2));
            Assert.That(bed.Partition.GetHypercallCount(HvStatus.InvalidConnectionId), Is.EqualTo(1));
            Assert.That(bed.Partition.GetHypercallCount(HvStatus.InvalidParameter), Is.EqualTo(1));
            Assert.That(bed.Partition.GetHypercallCount(HvStatus.AccessDenied), Is.Zero);
            Assert.That(bed.Partition.HypercallCount, Is.EqualTo(4));
            Assert.That(bed.Partition.SintAssertionCount, Is.EqualTo(2));
        });
    }
}

using HvBench.Hyperv.Tests.Support;

namespace HvBench.Hyperv.Tests.Hypercalls;

// One fixture per failure situation, each run in every form a guest can use: TLFS fast, TLFS slow, the RAX form
// and the RAX form with the Fast bit. tlfs.md section 9 item 1 gives the order; SignalEventWithSeveralFaults checks it.

[TestFixture]
[Category("Unit")]
[TestFixtureSource(typeof(Forms), nameof(Forms.AllSignalForms))]
public sealed class SignalEventThroughAValidConnection(SignalForm form)
{
    [Test]
    public void ReturnsSuccess()
    {
        var bed = new HvTestBed(form.Convention());
        HypercallOutcome outcome = bed.SignalRaw(form, HvSignalEventInput.Create(HvTestBed.EventConnectionId, 5).Raw);
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Status, Is.EqualTo(HvStatus.Success));
            Assert.That(outcome.Code, Is.EqualTo(HypercallCode.HvCallSignalEvent));
            Assert.That(outcome.Fast, Is.EqualTo(form is SignalForm.TlfsFast or SignalForm.RaxFastBit));
        });
    }

    [Test]
    public void SetsTheFlagAndAssertsTheSint()
    {
        var bed = new HvTestBed(form.Convention());
        bed.Signal(form, flag: 5);
        Assert.Multiple(() =>
        {
            Assert.That(bed.FlagIsSet(HvTestBed.EventTargetVp, HvTestBed.EventSint, 5), Is.True);
            Assert.That(bed.SetFlagCount(HvTestBed.EventTargetVp), Is.EqualTo(1));
            Assert.That(bed.Sink.Assertions, Is.EqualTo(new[] { new SintAssertion(HvTestBed.EventTargetVp, HvTestBed.EventVector, false) }));
        });
    }

    [Test]
    public void AcceptsTheLastFlagOfThePort()
    {
        var bed = new HvTestBed(form.Convention());
        Assert.That(bed.Signal(form, flag: HvTestBed.EventFlagCount - 1), Is.EqualTo(HvStatus.Success));
    }
}

[TestFixture]
[Category("Unit")]
[TestFixtureSource(typeof(Forms), nameof(Forms.AllSignalForms))]
public sealed class SignalEventFromAPartitionWithoutTheSignalEventsPrivilege(SignalForm form)
{
    private HvTestBed _bed = null!;

    [SetUp]
    public void SetUp()
    {
        _bed = new HvTestBed(form.Convention());
        _bed.Partition.Privileges = PartitionPrivileges.PostMessages;
    }

    [Test]
    public void ReturnsAccessDenied() => Assert.That(_bed.Signal(form), Is.EqualTo(HvStatus.AccessDenied));

    [Test]
    public void ReturnsAccessDeniedEvenForAnUnknownConnection() =>
        Assert.That(_bed.Signal(form, connectionId: 99), Is.EqualTo(HvStatus.AccessDenied));

    [Test]
    public void ReturnsAccessDeniedEvenWithReservedControlBits() =>
        Assert.That(_bed.Signal(form, controlExtra: 1UL << 27), Is.EqualTo(HvStatus.AccessDenied));

    [Test]
    public void SetsNoFlagAndRaisesNoInterrupt()
    {
        _bed.Signal(form);
        Assert.Multiple(() =>
        {
            Assert.That(_bed.SetFlagCount(HvTestBed.EventTargetVp), Is.Zero);
            Assert.That(_bed.Sink.Count, Is.Zero);
        });
    }
}

[TestFixture]
[Category("Unit")]
[TestFixtureSource(typeof(Forms), nameof(Forms.AllSignalForms))]
public sealed class SignalEventWithReservedControlBits(SignalForm form)
{
    // Linux HV_HYPERCALL_RSVD_MASK: bits 27..31, 44..47, 60..63 (bit 31 "Is Nested" included, as KVM does).
    private static readonly int[] s_reservedBits = [27, 28, 29, 30, 31, 44, 45, 46, 47, 60, 61, 62, 63];

    [TestCaseSource(nameof(s_reservedBits))]
    public void ReturnsInvalidHypercallInput(int bit)
    {
        var bed = new HvTestBed(form.Convention());
        Assert.Multiple(() =>
        {
            Assert.That(bed.Signal(form, controlExtra: 1UL << bit), Is.EqualTo(HvStatus.InvalidHypercallInput));
            Assert.That(bed.Sink.Count, Is.Zero);
        });
    }
}

[TestFixture]
[Category("Unit")]
[TestFixtureSource(typeof(Forms), nameof(Forms.AllSignalForms))]
public sealed class SignalEventWithARepCountOrVariableHeader(SignalForm form)
{
    [TestCase(1UL << 17, TestName = "{m}(variable header size 1)")]
    [TestCase(0x3FFUL << 17, TestName = "{m}(variable header size 1023)")]
    [TestCase(1UL << 32, TestName = "{m}(rep count 1)")]
    [TestCase(0xFFFUL << 32, TestName = "{m}(rep count 4095)")]
    [TestCase(1UL << 48, TestName = "{m}(rep start index 1)")]
    public void ReturnsInvalidHypercallInput(ulong controlExtra)
    {
        var bed = new HvTestBed(form.Convention());
        Assert.That(bed.Signal(form, controlExtra: controlExtra), Is.EqualTo(HvStatus.InvalidHypercallInput));
    }
}

[TestFixture]
[Category("Unit")]
[TestFixtureSource(typeof(Forms), nameof(Forms.AllSignalForms))]
public sealed class SignalEventWithReservedInputBits(SignalForm form)
{
    [TestCase(1UL << 24, TestName = "{m}(ConnectionId bit 24)")]
    [TestCase(0xFFUL << 24, TestName = "{m}(ConnectionId bits 31..24)")]
    [TestCase(1UL << 48, TestName = "{m}(RsvdZ bit 48)")]
    [TestCase(1UL << 63, TestName = "{m}(RsvdZ bit 63)")]
    public void ReturnsInvalidHypercallInput(ulong reserved)
    {
        var bed = new HvTestBed(form.Convention());
        ulong block = HvSignalEventInput.Create(HvTestBed.EventConnectionId, 0).Raw | reserved;
        Assert.Multiple(() =>
        {
            Assert.That(bed.SignalRaw(form, block).Status, Is.EqualTo(HvStatus.InvalidHypercallInput));
            Assert.That(bed.SetFlagCount(HvTestBed.EventTargetVp), Is.Zero);
        });
    }
}

[TestFixture]
[Category("Unit")]
[TestFixtureSource(typeof(Forms), nameof(Forms.AllSignalForms))]
public sealed class SignalEventWithAnUnknownConnectionId(SignalForm form)
{
    [TestCase(99u)]
    [TestCase(0u)]
    [TestCase(0xFFFFFFu)]
    public void ReturnsInvalidConnectionId(uint connectionId)
    {
        var bed = new HvTestBed(form.Convention());
        Assert.That(bed.Signal(form, connectionId), Is.EqualTo(HvStatus.InvalidConnectionId));
    }

    [Test]
    public void ReturnsInvalidConnectionIdAfterTheConnectionWasRemoved()
    {
        var bed = new HvTestBed(form.Convention());
        Assert.That(bed.Partition.RemoveConnection(HvTestBed.EventConnectionId), Is.True);
        Assert.That(bed.Signal(form), Is.EqualTo(HvStatus.InvalidConnectionId));
    }
}

[TestFixture]
[Category("Unit")]
[TestFixtureSource(typeof(Forms), nameof(Forms.AllSignalForms))]
public sealed class SignalEventThroughAStaleConnection(SignalForm form)
{
    [Test]
    public void ReturnsInvalidPortIdAfterThePortWasRemoved()
    {
        var bed = new HvTestBed(form.Convention());
        Assert.That(bed.Partition.RemovePort(HvTestBed.EventPortId), Is.True);
        Assert.That(bed.Signal(form), Is.EqualTo(HvStatus.InvalidPortId));
    }

    [Test]
    public void ReturnsInvalidPortIdWhenThePortNeverExisted()
    {
        var bed = new HvTestBed(form.Convention());
        bed.Partition.AddConnection(20, bed.Partition, portId: 0x1234);
        Assert.That(bed.Signal(form, connectionId: 20), Is.EqualTo(HvStatus.InvalidPortId));
    }

    [Test]
    public void ReachesAPortAddedAgainUnderTheSameId()
    {
        var bed = new HvTestBed(form.Convention());
        bed.Partition.RemovePort(HvTestBed.EventPortId);
        bed.Partition.AddEventPort(HvTestBed.EventPortId, HvTestBed.EventTargetVp, HvTestBed.EventSint, 0, 1);
        Assert.That(bed.Signal(form), Is.EqualTo(HvStatus.Success));
    }
}

[TestFixture]
[Category("Unit")]
[TestFixtureSource(typeof(Forms), nameof(Forms.AllSignalForms))]
public sealed class SignalEventToAPortOfAnInactivePartition(SignalForm form)
{
    [Test]
    public void ReturnsInvalidPortId()
    {
        var bed = new HvTestBed(form.Convention());
        bed.Partition.IsActive = false;
        Assert.Multiple(() =>
        {
            Assert.That(bed.Signal(form), Is.EqualTo(HvStatus.InvalidPortId));
            Assert.That(bed.SetFlagCount(HvTestBed.EventTargetVp), Is.Zero);
        });
    }
}

[TestFixture]
[Category("Unit")]
[TestFixtureSource(typeof(Forms), nameof(Forms.AllSignalForms))]
public sealed class SignalEventThroughAMessageConnection(SignalForm form)
{
    [Test]
    public void ReturnsInvalidPortId()
    {
        var bed = new HvTestBed(form.Convention());
        Assert.That(bed.Signal(form, HvTestBed.MessageConnectionId), Is.EqualTo(HvStatus.InvalidPortId));
    }
}

[TestFixture]
[Category("Unit")]
[TestFixtureSource(typeof(Forms), nameof(Forms.AllSignalForms))]
public sealed class SignalEventWithAFlagNumberBeyondThePort(SignalForm form)
{
    [TestCase((ushort)HvTestBed.EventFlagCount)]
    [TestCase((ushort)2047)]
    [TestCase(ushort.MaxValue)]
    public void ReturnsInvalidParameter(ushort flag)
    {
        var bed = new HvTestBed(form.Convention());
        Assert.Multiple(() =>
        {
            Assert.That(bed.Signal(form, flag: flag), Is.EqualTo(HvStatus.InvalidParameter));
            Assert.That(bed.SetFlagCount(HvTestBed.EventTargetVp), Is.Zero);
        });
    }
}

[TestFixture]
[Category("Unit")]
[TestFixtureSource(typeof(Forms), nameof(Forms.AllSignalForms))]
public sealed class SignalEventToAVpThePartitionDoesNotHave(SignalForm form)
{
    [TestCase(2)]
    [TestCase(1000)]
    public void ReturnsInvalidVpIndex(int targetVp)
    {
        var bed = new HvTestBed(form.Convention());
        bed.Partition.AddEventPort(30, targetVp, 2, 0, 8);
        bed.Partition.AddConnection(31, bed.Partition, 30);
        Assert.Multiple(() =>
        {
            Assert.That(bed.Signal(form, 31), Is.EqualTo(HvStatus.InvalidVpIndex));
            Assert.That(bed.Sink.Count, Is.Zero);
        });
    }
}

[TestFixture]
[Category("Unit")]
[TestFixtureSource(typeof(Forms), nameof(Forms.AllSignalForms))]
public sealed class SignalEventToAVpWithItsSynicDisabled(SignalForm form)
{
    [Test]
    public void ReturnsInvalidSynicState()
    {
        var bed = new HvTestBed(form.Convention());
        bed.WriteMsrOk(HvTestBed.EventTargetVp, HvMsr.Scontrol, 0);
        Assert.Multiple(() =>
        {
            Assert.That(bed.Signal(form), Is.EqualTo(HvStatus.InvalidSynicState));
            Assert.That(bed.SetFlagCount(HvTestBed.EventTargetVp), Is.Zero);
            Assert.That(bed.Sink.Count, Is.Zero);
        });
    }
}

[TestFixture]
[Category("Unit")]
[TestFixtureSource(typeof(Forms), nameof(Forms.AllSignalForms))]
public sealed class SignalEventToAVpWithItsSiefPageDisabled(SignalForm form)
{
    [Test]
    public void ReturnsInvalidSynicState()
    {
        var bed = new HvTestBed(form.Convention());
        bed.WriteMsrOk(HvTestBed.EventTargetVp, HvMsr.Siefp, HvTestBed.SiefVp1);
        Assert.Multiple(() =>
        {
            Assert.That(bed.Signal(form), Is.EqualTo(HvStatus.InvalidSynicState));
            Assert.That(bed.Memory.Writes, Is.Empty);
        });
    }
}

[TestFixture]
[Category("Unit")]
[TestFixtureSource(typeof(Forms), nameof(Forms.AllSignalForms))]
public sealed class SignalEventToAMaskedSint(SignalForm form)
{
    private HvTestBed _bed = null!;

    [SetUp]
    public void SetUp()
    {
        _bed = new HvTestBed(form.Convention());
        _bed.WriteMsrOk(HvTestBed.EventTargetVp, HvMsr.Sint0 + HvTestBed.EventSint, SintRegister.MaskedBit | HvTestBed.EventVector);
    }

    [Test]
    public void ReturnsInvalidSynicState() => Assert.That(_bed.Signal(form), Is.EqualTo(HvStatus.InvalidSynicState));

    [Test]
    public void SetsNoFlag()
    {
        _bed.Signal(form);
        Assert.That(_bed.SetFlagCount(HvTestBed.EventTargetVp), Is.Zero);
    }

    [Test]
    public void RaisesNoInterrupt()
    {
        _bed.Signal(form);
        Assert.That(_bed.Sink.Count, Is.Zero);
    }

    [Test]
    public void ReturnsInvalidSynicStateEvenWhenAlsoPolling()
    {
        _bed.WriteMsrOk(HvTestBed.EventTargetVp, HvMsr.Sint0 + HvTestBed.EventSint,
            SintRegister.MaskedBit | SintRegister.PollingBit | HvTestBed.EventVector);
        Assert.That(_bed.Signal(form), Is.EqualTo(HvStatus.InvalidSynicState));
    }
}

/// <summary>The slow TLFS form reads its 8-byte block from guest memory; a misplaced block is INVALID_ALIGNMENT.</summary>
[TestFixture]
[Category("Unit")]
public sealed class SlowSignalEventWithAMisplacedInputBlock
{
    [TestCase(HvTestBed.InputGpa + 4, TestName = "{m}(not 8-aligned)")]
    [TestCase(HvTestBed.InputGpa + 1, TestName = "{m}(odd GPA)")]
    [TestCase(HvTestBed.InputGpa + 0xFFC, TestName = "{m}(crosses a page, unaligned)")]
    [TestCase(HvTestBed.RamSize, TestName = "{m}(just past RAM)")]
    [TestCase(HvTestBed.RamSize - 8 + 0x1000, TestName = "{m}(a page past RAM)")]
    [TestCase(0xFFFF_FFFF_FFFF_FFF8UL, TestName = "{m}(top of the GPA space)")]
    public void ReturnsInvalidAlignment(ulong gpa)
    {
        var bed = new HvTestBed(HypercallConvention.Tlfs);
        HypercallOutcome outcome = bed.SignalRaw(SignalForm.TlfsSlow, HvSignalEventInput.Create(HvTestBed.EventConnectionId, 0).Raw, slowGpa: gpa);
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Status, Is.EqualTo(HvStatus.InvalidAlignment));
            Assert.That(bed.SetFlagCount(HvTestBed.EventTargetVp), Is.Zero);
        });
    }

    [Test]
    public void AcceptsTheLastAlignedSlotOfAPage()
    {
        var bed = new HvTestBed(HypercallConvention.Tlfs);
        HypercallOutcome outcome = bed.SignalRaw(SignalForm.TlfsSlow, HvSignalEventInput.Create(HvTestBed.EventConnectionId, 0).Raw, slowGpa: HvTestBed.InputGpa + 0xFF8);
        Assert.That(outcome.Status, Is.EqualTo(HvStatus.Success));
    }

    [Test]
    public void AcceptsTheLastWordOfRam()
    {
        var bed = new HvTestBed(HypercallConvention.Tlfs);
        HypercallOutcome outcome = bed.SignalRaw(SignalForm.TlfsSlow, HvSignalEventInput.Create(HvTestBed.EventConnectionId, 0).Raw, slowGpa: HvTestBed.RamSize - 8);
        Assert.That(outcome.Status, Is.EqualTo(HvStatus.Success));
    }

    [Test]
    public void ReturnsInvalidAlignmentBeforeLookingAtReservedInputBits()
    {
        // The block cannot be read before its GPA passed the checks (tlfs.md section 9 item 1).
        var bed = new HvTestBed(HypercallConvention.Tlfs);
        ulong block = HvSignalEventInput.Create(HvTestBed.EventConnectionId, 0).Raw | (1UL << 63);
        Assert.That(bed.SignalRaw(SignalForm.TlfsSlow, block, slowGpa: HvTestBed.InputGpa + 4).Status, Is.EqualTo(HvStatus.InvalidAlignment));
    }

    [Test]
    public void ReturnsInvalidHypercallInputForReservedControlBitsFirst() =>
        Assert.That(new HvTestBed(HypercallConvention.Tlfs).SignalRaw(SignalForm.TlfsSlow, 7, controlExtra: 1UL << 60, slowGpa: 3).Status,
            Is.EqualTo(HvStatus.InvalidHypercallInput));
}

/// <summary>RAX form: RBX and RCX carry ConnectionId and FlagNumber; their unused high bits are reserved.</summary>
[TestFixture]
[Category("Unit")]
public sealed class RaxFormSignalEventWithHighRegisterBits
{
    [TestCase(1UL << 32, 0UL, TestName = "{m}(RBX bit 32)")]
    [TestCase(0xFFFF_FFFF_0000_0000UL, 0UL, TestName = "{m}(RBX bits 63..32)")]
    [TestCase(0UL, 1UL << 16, TestName = "{m}(RCX bit 16)")]
    [TestCase(0UL, 1UL << 63, TestName = "{m}(RCX bit 63)")]
    public void ReturnsInvalidHypercallInput(ulong rbxHigh, ulong rcxHigh)
    {
        var bed = new HvTestBed(HypercallConvention.Rax);
        var registers = new HypercallRegisters
        {
            Rax = (ulong)HypercallCode.HvCallSignalEvent,
            Rbx = HvTestBed.EventConnectionId | rbxHigh,
            Rcx = 1 | rcxHigh,
        };
        Assert.Multiple(() =>
        {
            Assert.That(bed.Partition.Hypercall(0, ref registers).Status, Is.EqualTo(HvStatus.InvalidHypercallInput));
            Assert.That(registers.Rax, Is.EqualTo(3UL));
            Assert.That(bed.SetFlagCount(HvTestBed.EventTargetVp), Is.Zero);
        });
    }

    [Test]
    public void IgnoresRdxAndR8()
    {
        var bed = new HvTestBed(HypercallConvention.Rax);
        var registers = new HypercallRegisters
        {
            Rax = (ulong)HypercallCode.HvCallSignalEvent,
            Rbx = HvTestBed.EventConnectionId,
            Rcx = 3,
            Rdx = ulong.MaxValue,
            R8 = ulong.MaxValue,
        };
        Assert.Multiple(() =>
        {
            Assert.That(bed.Partition.Hypercall(0, ref registers).Status, Is.EqualTo(HvStatus.Success));
            Assert.That(bed.FlagIsSet(HvTestBed.EventTargetVp, HvTestBed.EventSint, 3), Is.True);
        });
    }

    [Test]
    public void IgnoresRcxAsTheInputValue()
    {
        // In the RAX convention RCX is FlagNumber: a TLFS-style input value there must not be decoded.
        var bed = new HvTestBed(HypercallConvention.Rax);
        var registers = new HypercallRegisters { Rax = 0x5D, Rbx = HvTestBed.EventConnectionId, Rcx = 0x5D };
        Assert.That(bed.Partition.Hypercall(0, ref registers).Status, Is.EqualTo(HvStatus.InvalidParameter));
    }
}

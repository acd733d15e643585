using HvBench.Hyperv.Tests.Support;

namespace HvBench.Hyperv.Tests;

// HV_X64_MSR_GUEST_OS_ID and HV_X64_MSR_HYPERCALL (tlfs.md section 1.4; section 9 item 6).

[TestFixture]
[Category("Unit")]
public sealed class HypercallMsrsOfANewPartition
{
    [Test]
    public void ReadZeroAndThePageIsOff()
    {
        var bed = new HvTestBed();
        Assert.Multiple(() =>
        {
            Assert.That(bed.ReadMsrOk(0, HvMsr.GuestOsId), Is.Zero);
            Assert.That(bed.ReadMsrOk(0, HvMsr.Hypercall), Is.Zero);
            Assert.That(bed.Partition.HypercallPageGpa, Is.Null);
            Assert.That(bed.Partition.AcceptsHypercalls, Is.False, "a VMCALL is a #UD until the guest OS id is set");
        });
    }
}

[TestFixture]
[Category("Unit")]
public sealed class AcceptingHypercalls
{
    [Test]
    public void FollowsTheGuestOsIdOnEveryVp()
    {
        var bed = new HvTestBed();
        bed.WriteMsrOk(1, HvMsr.GuestOsId, 5);
        Assert.That(bed.Partition.AcceptsHypercalls, Is.True, "after a non-zero id from any VP");
        bed.WriteMsrOk(0, HvMsr.GuestOsId, 0);
        Assert.That(bed.Partition.AcceptsHypercalls, Is.False, "after the id is withdrawn");
    }
}

[TestFixture]
[Category("Unit")]
public sealed class EnablingTheHypercallPageAfterSettingAGuestOsId
{
    private const ulong PageGpa = 0x30000;
    private HvTestBed _bed = null!;

    [SetUp]
    public void SetUp()
    {
        _bed = new HvTestBed();
        _bed.WriteMsrOk(0, HvMsr.GuestOsId, 0x8100_0000_0000_0000UL);
        _bed.WriteMsrOk(1, HvMsr.Hypercall, PageGpa | 1);
    }

    [Test]
    public void ReadsBackEnabledFromEveryVp() =>
        Assert.That(new[] { _bed.ReadMsrOk(0, HvMsr.Hypercall), _bed.ReadMsrOk(1, HvMsr.Hypercall) }, Is.All.EqualTo(PageGpa | 1));

    [Test]
    public void ReportsThePageGpa() => Assert.That(_bed.Partition.HypercallPageGpa, Is.EqualTo(PageGpa));

    [Test]
    public void WritesVmcallRetIntoThePage()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_bed.Memory.Peek(PageGpa, 5), Is.EqualTo(new byte[] { 0x0F, 0x01, 0xC1, 0xC3, 0 }));
            Assert.That(_bed.Memory.Writes, Is.EqualTo(new[] { new MemoryWrite(PageGpa, 4, 0, false) }));
        });
    }

    [Test]
    public void KeepsTheGuestOsId() => Assert.That(_bed.Partition.GuestOsId, Is.EqualTo(0x8100_0000_0000_0000UL));

    [Test]
    public void MovesThePageOnALaterWrite()
    {
        _bed.WriteMsrOk(0, HvMsr.Hypercall, 0x31001);
        Assert.Multiple(() =>
        {
            Assert.That(_bed.Partition.HypercallPageGpa, Is.EqualTo(0x31000UL));
            Assert.That(_bed.Memory.Peek(0x31000, 4), Is.EqualTo(new byte[] { 0x0F, 0x01, 0xC1, 0xC3 }));
        });
    }

    [Test]
    public void DisablingLeavesThePageContentsAndClearsTheGpa()
    {
        _bed.WriteMsrOk(0, HvMsr.Hypercall, PageGpa);
        Assert.Multiple(() =>
        {
            Assert.That(_bed.Partition.HypercallPageGpa, Is.Null);
            Assert.That(_bed.ReadMsrOk(0, HvMsr.Hypercall), Is.EqualTo(PageGpa));
            Assert.That(_bed.Memory.Peek(PageGpa, 4), Is.EqualTo(new byte[] { 0x0F, 0x01, 0xC1, 0xC3 }));
        });
    }
}

[TestFixture]
[Category("Unit")]
public sealed class EnablingTheHypercallPageWithoutAGuestOsId
{
    private HvTestBed _bed = null!;

    [SetUp]
    public void SetUp()
    {
        _bed = new HvTestBed();
        _bed.WriteMsrOk(0, HvMsr.Hypercall, 0x30001);
    }

    [Test]
    public void LeavesEnableZeroButKeepsTheGpfn() => Assert.That(_bed.ReadMsrOk(0, HvMsr.Hypercall), Is.EqualTo(0x30000UL));

    [Test]
    public void WritesNothing() => Assert.That(_bed.Memory.Writes, Is.Empty);

    [Test]
    public void ReportsNoPage() => Assert.That(_bed.Partition.HypercallPageGpa, Is.Null);

    [Test]
    public void WorksOnceTheGuestOsIdIsSet()
    {
        _bed.WriteMsrOk(0, HvMsr.GuestOsId, 1);
        _bed.WriteMsrOk(0, HvMsr.Hypercall, 0x30001);
        Assert.That(_bed.Partition.HypercallPageGpa, Is.EqualTo(0x30000UL));
    }
}

[TestFixture]
[Category("Unit")]
public sealed class WritingZeroToTheGuestOsId
{
    [Test]
    public void DisablesTheHypercallPage()
    {
        var bed = new HvTestBed();
        bed.WriteMsrOk(0, HvMsr.GuestOsId, 5);
        bed.WriteMsrOk(0, HvMsr.Hypercall, 0x30001);
        bed.WriteMsrOk(1, HvMsr.GuestOsId, 0);
        Assert.Multiple(() =>
        {
            Assert.That(bed.ReadMsrOk(0, HvMsr.Hypercall), Is.EqualTo(0x30000UL));
            Assert.That(bed.Partition.HypercallPageGpa, Is.Null);
        });
    }

    [Test]
    public void DisablesEvenALockedPage()
    {
        var bed = new HvTestBed();
        bed.WriteMsrOk(0, HvMsr.GuestOsId, 5);
        bed.WriteMsrOk(0, HvMsr.Hypercall, 0x30003);
        bed.WriteMsrOk(0, HvMsr.GuestOsId, 0);
        Assert.Multiple(() =>
        {
            Assert.That(bed.ReadMsrOk(0, HvMsr.Hypercall), Is.EqualTo(0x30002UL));
            Assert.That(bed.Partition.HypercallPageGpa, Is.Null);
        });
    }
}

[TestFixture]
[Category("Unit")]
public sealed class LockingTheHypercallPage
{
    private HvTestBed _bed = null!;

    [SetUp]
    public void SetUp()
    {
        _bed = new HvTestBed();
        _bed.WriteMsrOk(0, HvMsr.GuestOsId, 5);
        _bed.WriteMsrOk(0, HvMsr.Hypercall, 0x30003);
        _bed.Memory.ClearWriteLog();
    }

    [Test]
    public void ReadsBackLocked() => Assert.That(_bed.Partition.HypercallMsr.Locked, Is.True);

    [TestCase(0UL, TestName = "{m}(disable and unlock)")]
    [TestCase(0x31003UL, TestName = "{m}(move)")]
    [TestCase(0x30001UL, TestName = "{m}(unlock)")]
    public void IgnoresLaterWritesWithoutFaulting(ulong value)
    {
        Assert.Multiple(() =>
        {
            Assert.That(_bed.Partition.WriteMsr(1, HvMsr.Hypercall, value), Is.EqualTo(MsrAccess.Ok));
            Assert.That(_bed.ReadMsrOk(0, HvMsr.Hypercall), Is.EqualTo(0x30003UL));
            Assert.That(_bed.Memory.Writes, Is.Empty);
        });
    }

    [Test]
    public void IsAdvertisedInCpuid()
    {
        Assert.That(_bed.Partition.TryGetCpuidLeaf(HvCpuid.Features, out CpuidLeaf leaf), Is.True);
        Assert.That(leaf.Edx & HvCpuid.FeatureHypercallMsrLock, Is.Not.Zero);
    }
}

[TestFixture]
[Category("Unit")]
public sealed class EnablingTheHypercallPageOutsideRam
{
    [TestCase(HvTestBed.RamSize)]
    [TestCase(0xFFFF_FFFF_FFFF_F000UL)]
    public void RaisesGeneralProtectionAndChangesNothing(ulong gpa)
    {
        var bed = new HvTestBed();
        bed.WriteMsrOk(0, HvMsr.GuestOsId, 5);
        Assert.Multiple(() =>
        {
            Assert.That(bed.Partition.WriteMsr(0, HvMsr.Hypercall, gpa | 1), Is.EqualTo(MsrAccess.GeneralProtection));
            Assert.That(bed.ReadMsrOk(0, HvMsr.Hypercall), Is.Zero);
            Assert.That(bed.Partition.HypercallPageGpa, Is.Null);
        });
    }

    [Test]
    public void IsAcceptedWhileDisabled()
    {
        var bed = new HvTestBed();
        bed.WriteMsrOk(0, HvMsr.Hypercall, HvTestBed.RamSize);
        Assert.That(bed.ReadMsrOk(0, HvMsr.Hypercall), Is.EqualTo(HvTestBed.RamSize));
    }
}

[TestFixture]
[Category("Unit")]
public sealed class ReplacingTheHypercallPageCode
{
    [Test]
    public void WritesTheNewCodeOnEnable()
    {
        var bed = new HvTestBed();
        bed.Partition.HypercallPageCode = [0x0F, 0x01, 0xD9, 0xC3];
        bed.WriteMsrOk(0, HvMsr.GuestOsId, 5);
        bed.WriteMsrOk(0, HvMsr.Hypercall, 0x30001);
        Assert.That(bed.Memory.Peek(0x30000, 4), Is.EqualTo(new byte[] { 0x0F, 0x01, 0xD9, 0xC3 }));
    }

    [Test]
    public void RejectsEmptyOrOversizedCode()
    {
        var bed = new HvTestBed();
        Assert.Multiple(() =>
        {
            Assert.That(() => bed.Partition.HypercallPageCode = [], Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => bed.Partition.HypercallPageCode = new byte[4097], Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => bed.Partition.HypercallPageCode = null!, Throws.TypeOf<ArgumentNullException>());
        });
    }

    [Test]
    public void DefaultsToVmcallRet() =>
        Assert.That(new HvTestBed().Partition.HypercallPageCode, Is.EqualTo(new byte[] { 0x0F, 0x01, 0xC1, 0xC3 }));
}

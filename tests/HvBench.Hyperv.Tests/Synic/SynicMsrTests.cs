using HvBench.Hyperv.Tests.Support;

namespace HvBench.Hyperv.Tests.Synic;

// SynIC MSRs (tlfs.md section 6; section 9 items 4 and 5).

[TestFixture]
[Category("Unit")]
public sealed class SynicRegistersOfANewPartition
{
    private Partition _partition = null!;

    [SetUp]
    public void SetUp() =>
        _partition = new Partition(1, 2, HvTestBed.DefaultPrivileges, HypercallConvention.Tlfs, StatusProfile.Tlfs, new FakeGuestMemory(0x10000), new RecordingSintSink());

    private ulong Read(uint msr, int vp = 1)
    {
        Assert.That(_partition.ReadMsr(vp, msr, out ulong value), Is.EqualTo(MsrAccess.Ok));
        return value;
    }

    [Test]
    public void ScontrolReadsZero() => Assert.That(Read(HvMsr.Scontrol), Is.Zero);

    [Test]
    public void SversionReadsOne() => Assert.That(Read(HvMsr.Sversion), Is.EqualTo(1UL));

    [Test]
    public void SiefpAndSimpReadZero() => Assert.That(new[] { Read(HvMsr.Siefp), Read(HvMsr.Simp) }, Is.All.Zero);

    [Test]
    public void EomReadsZero() => Assert.That(Read(HvMsr.Eom), Is.Zero);

    [Test]
    public void EverySintReadsMaskedWithVectorZero()
    {
        for (uint sint = 0; sint < 16; sint++)
        {
            Assert.That(Read(HvMsr.Sint0 + sint), Is.EqualTo(0x10000UL), $"SINT{sint}");
        }
    }

    [Test]
    public void TheViewShowsTheSameValues()
    {
        SynicState synic = _partition.Synic(1);
        Assert.Multiple(() =>
        {
            Assert.That(synic.VpIndex, Is.EqualTo(1));
            Assert.That(synic.Scontrol.Enabled, Is.False);
            Assert.That(synic.Siefp.Enabled, Is.False);
            Assert.That(synic.Simp.Enabled, Is.False);
            Assert.That(synic.Sint(15).Masked, Is.True);
            Assert.That(synic.Sint(15).Vector, Is.Zero);
        });
    }
}

[TestFixture]
[Category("Unit")]
public sealed class WritingSynicRegisters
{
    [TestCase(HvMsr.Scontrol, 1UL)]
    [TestCase(HvMsr.Scontrol, 0UL)]
    [TestCase(HvMsr.Siefp, 0x12345001UL)]
    [TestCase(HvMsr.Simp, 0xABC000UL)]
    [TestCase(HvMsr.Sint0, 0x30UL)]
    [TestCase(HvMsr.Sint15, 0x700FFUL)]
    public void ReadsBackWhatWasWritten(uint msr, ulong value)
    {
        var bed = new HvTestBed();
        bed.WriteMsrOk(1, msr, value);
        Assert.That(bed.ReadMsrOk(1, msr), Is.EqualTo(value));
    }

    [TestCase(HvMsr.Scontrol, 0xFFFF_FFFF_FFFF_FFFEUL, TestName = "{m}(SCONTROL bits 63..1)")]
    [TestCase(HvMsr.Siefp, 0xFFEUL, TestName = "{m}(SIEFP bits 11..1)")]
    [TestCase(HvMsr.Simp, 0x802UL, TestName = "{m}(SIMP bit 11)")]
    [TestCase(HvMsr.Sint0 + 2, 0xFFFF_FFFF_FFF8_FF40UL, TestName = "{m}(SINT2 bits 63..19 and 15..8)")]
    [TestCase(HvMsr.Hypercall, 0x3_0FFCUL, TestName = "{m}(HYPERCALL bits 11..2)")]
    public void RefusesRsvdPBitsWithAGeneralProtectionFault(uint msr, ulong value)
    {
        // RsvdP: the guest must write them back as read (0); setting one is a #GP and the register keeps its value.
        var bed = new HvTestBed();
        ulong before = bed.ReadMsrOk(0, msr);
        Assert.Multiple(() =>
        {
            Assert.That(bed.Partition.WriteMsr(0, msr, value), Is.EqualTo(MsrAccess.GeneralProtection));
            Assert.That(bed.ReadMsrOk(0, msr), Is.EqualTo(before));
            Assert.That(bed.Partition.MsrFaultCount, Is.EqualTo(1));
        });
    }

    [TestCase(HvMsr.Scontrol, 1UL, TestName = "{m}(SCONTROL Enable)")]
    [TestCase(HvMsr.Siefp, 0xFFFF_FFFF_FFFF_F001UL, TestName = "{m}(SIEFP every GPFN bit and Enable)")]
    [TestCase(HvMsr.Simp, 0x5000UL, TestName = "{m}(SIMP GPFN, disabled)")]
    [TestCase(HvMsr.Sint0 + 2, 0x7_00FFUL, TestName = "{m}(SINT2 vector 0xFF, Masked, AutoEOI, Polling)")]
    public void AcceptsEveryDefinedBit(uint msr, ulong value)
    {
        var bed = new HvTestBed();
        bed.WriteMsrOk(0, msr, value);
        Assert.That(bed.ReadMsrOk(0, msr), Is.EqualTo(value));
    }

    [Test]
    public void AffectsOnlyThatVp()
    {
        var bed = new HvTestBed(vpCount: 3);
        bed.WriteMsrOk(2, HvMsr.Sint0 + 5, 0x99);
        Assert.Multiple(() =>
        {
            Assert.That(bed.Partition.Synic(2).Sint(5).Vector, Is.EqualTo(0x99));
            Assert.That(bed.Partition.Synic(1).Sint(5).Raw, Is.EqualTo(SintRegister.ResetValue));
        });
    }

    [Test]
    public void DoesNotZeroTheSiefPageOnEnable()
    {
        var bed = new HvTestBed();
        bed.Memory.Poke64(0x60000, 0x55);
        bed.WriteMsrOk(0, HvMsr.Siefp, 0x60001);
        Assert.Multiple(() =>
        {
            Assert.That(bed.Memory.Peek64(0x60000), Is.EqualTo(0x55UL));
            Assert.That(bed.Memory.Writes, Is.Empty);
        });
    }

    [Test]
    public void AcceptsPagesOutsideRam()
    {
        var bed = new HvTestBed();
        bed.WriteMsrOk(0, HvMsr.Siefp, 0xFFFF_FFFF_FFFF_F001UL);
        bed.WriteMsrOk(0, HvMsr.Simp, 0xFFFF_FFFF_FFFF_F001UL);
        Assert.That(bed.Partition.Synic(0).Siefp.Gpa, Is.EqualTo(0xFFFF_FFFF_FFFF_F000UL));
    }
}

[TestFixture]
[Category("Unit")]
public sealed class WritingSversion
{
    [Test]
    public void RaisesGeneralProtection()
    {
        var bed = new HvTestBed();
        Assert.Multiple(() =>
        {
            Assert.That(bed.Partition.WriteMsr(0, HvMsr.Sversion, 1), Is.EqualTo(MsrAccess.GeneralProtection));
            Assert.That(bed.Partition.WriteMsr(0, HvMsr.Sversion, 2), Is.EqualTo(MsrAccess.GeneralProtection));
            Assert.That(bed.ReadMsrOk(0, HvMsr.Sversion), Is.EqualTo(1UL));
            Assert.That(bed.Partition.MsrFaultCount, Is.EqualTo(2));
        });
    }
}

[TestFixture]
[Category("Unit")]
public sealed class WritingEom
{
    [Test]
    public void IsAcceptedAndStillReadsZero()
    {
        var bed = new HvTestBed();
        bed.WriteMsrOk(0, HvMsr.Eom, 0xFFFF);
        Assert.That(bed.ReadMsrOk(0, HvMsr.Eom), Is.Zero);
    }

    [Test]
    public void WithNothingQueuedWritesNothing()
    {
        var bed = new HvTestBed();
        bed.WriteMsrOk(0, HvMsr.Eom, 0);
        Assert.Multiple(() =>
        {
            Assert.That(bed.Memory.Writes, Is.Empty);
            Assert.That(bed.Sink.Count, Is.Zero);
        });
    }
}

[TestFixture]
[Category("Unit")]
public sealed class WritingASintWithAnUnmaskedVectorBelow16
{
    [TestCase(0UL)]
    [TestCase(15UL)]
    [TestCase(SintRegister.AutoEoiBit | 2)]
    [TestCase(SintRegister.PollingBit | 15)]
    public void RaisesGeneralProtectionAndKeepsTheOldValue(ulong value)
    {
        var bed = new HvTestBed();
        Assert.Multiple(() =>
        {
            Assert.That(bed.Partition.WriteMsr(0, HvMsr.Sint0 + 2, value), Is.EqualTo(MsrAccess.GeneralProtection));
            Assert.That(bed.ReadMsrOk(0, HvMsr.Sint0 + 2), Is.EqualTo((ulong)HvTestBed.EventVector));
        });
    }
}

[TestFixture]
[Category("Unit")]
public sealed class WritingASintWithAMaskedVectorBelow16
{
    [TestCase(SintRegister.ResetValue, TestName = "{m}(the reset value 0x10000)")]
    [TestCase(SintRegister.MaskedBit | 15, TestName = "{m}(masked vector 15)")]
    public void IsAccepted(ulong value)
    {
        var bed = new HvTestBed();
        bed.WriteMsrOk(0, HvMsr.Sint0 + 2, value);
        Assert.That(bed.Partition.Synic(0).Sint(2).Raw, Is.EqualTo(value));
    }
}

[TestFixture]
[Category("Unit")]
public sealed class WritingASintWithVector16OrAbove
{
    [TestCase(16UL)]
    [TestCase(255UL)]
    public void IsAccepted(ulong vector)
    {
        var bed = new HvTestBed();
        bed.WriteMsrOk(0, HvMsr.Sint0 + 7, vector);
        Assert.That(bed.Partition.Synic(0).Sint(7).Vector, Is.EqualTo((byte)vector));
    }
}

[TestFixture]
[Category("Unit")]
public sealed class AccessingVpIndex
{
    [Test]
    public void ReadsEachVpsOwnIndex()
    {
        var bed = new HvTestBed(vpCount: 3);
        Assert.That(Enumerable.Range(0, 3).Select(vp => bed.ReadMsrOk(vp, HvMsr.VpIndex)), Is.EqualTo(new ulong[] { 0, 1, 2 }));
    }

    [Test]
    public void RaisesGeneralProtectionOnWrite()
    {
        var bed = new HvTestBed();
        Assert.Multiple(() =>
        {
            Assert.That(bed.Partition.WriteMsr(1, HvMsr.VpIndex, 1), Is.EqualTo(MsrAccess.GeneralProtection));
            Assert.That(bed.ReadMsrOk(1, HvMsr.VpIndex), Is.EqualTo(1UL));
        });
    }
}

[TestFixture]
[Category("Unit")]
public sealed class AccessingAnUnimplementedSyntheticMsr
{
    [TestCase(HvMsr.Reset)]
    [TestCase(HvMsr.Sirbp)]
    [TestCase(0x40000010u)] // HV_X64_MSR_VP_RUNTIME
    [TestCase(0x40000020u)] // HV_X64_MSR_TIME_REF_COUNT
    [TestCase(0x40000021u)] // HV_X64_MSR_REFERENCE_TSC
    [TestCase(0x40000070u)] // HV_X64_MSR_EOI
    [TestCase(0x40000086u)]
    [TestCase(0x400000A0u)]
    [TestCase(0x400000B0u)] // STIMER0_CONFIG
    [TestCase(0x400000FFu)]
    [TestCase(0xC0000080u)] // not synthetic at all (EFER)
    public void RaisesGeneralProtectionForReadsAndWrites(uint msr)
    {
        var bed = new HvTestBed();
        Assert.Multiple(() =>
        {
            Assert.That(bed.Partition.ReadMsr(0, msr, out ulong value), Is.EqualTo(MsrAccess.GeneralProtection));
            Assert.That(value, Is.Zero);
            Assert.That(bed.Partition.WriteMsr(0, msr, 1), Is.EqualTo(MsrAccess.GeneralProtection));
            Assert.That(bed.Partition.MsrFaultCount, Is.EqualTo(2));
        });
    }
}

[TestFixture]
[Category("Unit")]
public sealed class MsrAccessFromAVpThatDoesNotExist
{
    [TestCase(-1)]
    [TestCase(2)]
    public void ThrowsBecauseItIsAVmmBug(int vp)
    {
        var bed = new HvTestBed();
        Assert.Multiple(() =>
        {
            Assert.That(() => bed.Partition.ReadMsr(vp, HvMsr.Scontrol, out _), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => bed.Partition.WriteMsr(vp, HvMsr.Scontrol, 1), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => bed.Partition.Synic(vp), Throws.TypeOf<ArgumentOutOfRangeException>());
        });
    }
}

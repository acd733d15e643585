using HvBench.Hyperv.Tests.Support;

namespace HvBench.Hyperv.Tests.Hypercalls;

/// <summary>An event port for HV_ANY_VP (<see cref="Port.AnyVp"/>): the flag goes to a VP whose SynIC and SIEF page are
/// enabled, VPs without them are skipped, and with none left there are "no available VPs" (the seed page's second
/// HV_STATUS_INVALID_VP_INDEX condition).</summary>
[TestFixture]
[Category("Unit")]
public sealed class SignalEventToAnyVp
{
    private const uint AnyPortId = 30, AnyConnectionId = 31;

    private static HvTestBed BedWithAnyVpPort(StatusProfile profile = StatusProfile.Tlfs)
    {
        var bed = new HvTestBed(vpCount: 3, profile: profile);
        bed.Partition.AddEventPort(AnyPortId, Port.AnyVp, HvTestBed.EventSint, baseFlagNumber: 0, flagCount: 8);
        bed.Partition.AddConnection(AnyConnectionId, bed.Partition, AnyPortId);
        return bed;
    }

    [Test]
    public void SetsTheFlagOnTheLowestVpWithItsSynicAndSiefPageOn()
    {
        var bed = BedWithAnyVpPort();
        Assert.That(bed.Signal(AnyConnectionId, 3), Is.EqualTo(HvStatus.Success));
        Assert.Multiple(() =>
        {
            Assert.That(bed.FlagIsSet(0, HvTestBed.EventSint, 3), Is.True);
            Assert.That(bed.SetFlagCount(1) + bed.SetFlagCount(2), Is.Zero);
            Assert.That(bed.Sink.Assertions, Is.EqualTo(new[] { new SintAssertion(0, HvTestBed.EventVector, AutoEoi: false) }));
        });
    }

    [Test]
    public void SkipsVpsWhoseSynicOrSiefPageIsOff()
    {
        var bed = BedWithAnyVpPort();
        bed.WriteMsrOk(0, HvMsr.Scontrol, 0);                  // VP0: SynIC off
        bed.WriteMsrOk(1, HvMsr.Siefp, HvTestBed.SiefOf(1));   // VP1: SIEF page off
        Assert.That(bed.Signal(AnyConnectionId, 5), Is.EqualTo(HvStatus.Success));
        Assert.Multiple(() =>
        {
            Assert.That(bed.FlagIsSet(2, HvTestBed.EventSint, 5), Is.True, "VP2 is the only one available");
            Assert.That(bed.Sink.Assertions.Single().VpIndex, Is.EqualTo(2));
        });
    }

    [Test]
    public void ReturnsInvalidVpIndexWhenNoVpIsAvailable()
    {
        var bed = BedWithAnyVpPort();
        for (int vp = 0; vp < 3; vp++) bed.WriteMsrOk(vp, HvMsr.Scontrol, 0);
        Assert.Multiple(() =>
        {
            Assert.That(bed.Signal(AnyConnectionId, 0), Is.EqualTo(HvStatus.InvalidVpIndex));
            Assert.That(bed.Memory.Writes, Is.Empty);
            Assert.That(bed.Sink.Count, Is.Zero);
        });
    }

    [Test]
    public void StillReportsAMaskedSintOfTheChosenVp()
    {
        // Availability is the SynIC and the SIEF page (TLFS); the chosen VP's SINT is then checked as for any port.
        var bed = BedWithAnyVpPort();
        bed.WriteMsrOk(0, HvMsr.Sint0 + HvTestBed.EventSint, SintRegister.MaskedBit | HvTestBed.EventVector);
        Assert.That(bed.Signal(AnyConnectionId, 0), Is.EqualTo(HvStatus.InvalidSynicState));
    }

    [Test]
    public void UnderKvmCompatDropsTheFlagWhenNoVpIsAvailable()
    {
        var bed = BedWithAnyVpPort(StatusProfile.KvmCompat);
        for (int vp = 0; vp < 3; vp++) bed.WriteMsrOk(vp, HvMsr.Siefp, HvTestBed.SiefOf(vp));
        Assert.Multiple(() =>
        {
            Assert.That(bed.Signal(AnyConnectionId, 0), Is.EqualTo(HvStatus.Success));
            Assert.That(bed.Partition.DroppedFlagCount, Is.EqualTo(1));
        });
    }

    [Test]
    public void IsRefusedForAMessagePort()
    {
        var bed = new HvTestBed();
        Assert.Throws<ArgumentOutOfRangeException>(() => bed.Partition.AddMessagePort(40, Port.AnyVp, HvTestBed.MessageSint));
    }
}

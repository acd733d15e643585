using HvBench.Hyperv.Tests.Support;

namespace HvBench.Hyperv.Tests.Hypercalls;

// A slow call's output GPA follows the same rules as its input GPA under the TLFS profile (8-byte aligned, inside RAM,
// else INVALID_ALIGNMENT), even though neither call has output: the block is empty, so GPA 0 (what Linux passes) is
// fine. KVM never looks at it, so under kvm-compat anything goes.

[TestFixture]
[Category("Unit")]
public sealed class SlowSignalEventWithAMisplacedOutputGpa
{
    [TestCase(4UL, TestName = "{m}(not 8-aligned)")]
    [TestCase(HvTestBed.RamSize, TestName = "{m}(just past RAM)")]
    [TestCase(0xDEAD_BEEF_0000UL, TestName = "{m}(far outside RAM)")]
    public void ReturnsInvalidAlignment(ulong outputGpa)
    {
        var bed = new HvTestBed();
        HypercallOutcome outcome = bed.SignalRaw(SignalForm.TlfsSlow, HvSignalEventInput.Create(HvTestBed.EventConnectionId, 0).Raw, outputGpa: outputGpa);
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Status, Is.EqualTo(HvStatus.InvalidAlignment));
            Assert.That(bed.SetFlagCount(HvTestBed.EventTargetVp), Is.Zero);
        });
    }

    [TestCase(0UL, TestName = "{m}(GPA 0, as Linux passes)")]
    [TestCase(HvTestBed.RamSize - 8, TestName = "{m}(last word of RAM)")]
    public void AcceptsAnAlignedGpaInRam(ulong outputGpa)
    {
        var bed = new HvTestBed();
        HypercallOutcome outcome = bed.SignalRaw(SignalForm.TlfsSlow, HvSignalEventInput.Create(HvTestBed.EventConnectionId, 0).Raw, outputGpa: outputGpa);
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Status, Is.EqualTo(HvStatus.Success));
            Assert.That(bed.Memory.Writes.Select(w => w.Gpa), Has.None.EqualTo(outputGpa), "nothing is written at the output GPA");
        });
    }

    [Test]
    public void ReturnsInvalidAlignmentBeforeLookingAtReservedInputBits()
    {
        var bed = new HvTestBed();
        ulong block = HvSignalEventInput.Create(HvTestBed.EventConnectionId, 0).Raw | (1UL << 63);
        Assert.That(bed.SignalRaw(SignalForm.TlfsSlow, block, outputGpa: 4).Status, Is.EqualTo(HvStatus.InvalidAlignment));
    }

    [Test]
    public void IsIgnoredByTheFastForm()
    {
        // The fast form's R8 is the second input word, never an output GPA.
        var bed = new HvTestBed();
        Assert.That(bed.SignalRaw(SignalForm.TlfsFast, HvSignalEventInput.Create(HvTestBed.EventConnectionId, 0).Raw).Status, Is.EqualTo(HvStatus.Success));
    }

    [Test]
    public void IsIgnoredUnderKvmCompat()
    {
        var bed = new HvTestBed(profile: StatusProfile.KvmCompat);
        HypercallOutcome outcome = bed.SignalRaw(SignalForm.TlfsSlow, HvSignalEventInput.Create(HvTestBed.EventConnectionId, 0).Raw, outputGpa: 0xDEAD_BEEF_0001);
        Assert.That(outcome.Status, Is.EqualTo(HvStatus.Success));
    }
}

[TestFixture]
[Category("Unit")]
[TestFixtureSource(typeof(Forms), nameof(Forms.AllConventions))]
public sealed class PostMessageWithAMisplacedOutputGpa(HypercallConvention convention)
{
    [TestCase(1UL, TestName = "{m}(not 8-aligned)")]
    [TestCase(HvTestBed.RamSize + 0x1000, TestName = "{m}(outside RAM)")]
    public void ReturnsInvalidAlignment(ulong outputGpa)
    {
        var bed = new HvTestBed(convention);
        Assert.Multiple(() =>
        {
            Assert.That(bed.PostRaw(HvTestBed.InputGpa, HvTestBed.MessageConnectionId, 1, 0, [], outputGpa: outputGpa).Status,
                Is.EqualTo(HvStatus.InvalidAlignment));
            Assert.That(bed.Memory.Writes, Is.Empty);
        });
    }

    [Test]
    public void AcceptsGpaZero() =>
        Assert.That(new HvTestBed(convention).PostRaw(HvTestBed.InputGpa, HvTestBed.MessageConnectionId, 1, 0, [], outputGpa: 0).Status,
            Is.EqualTo(HvStatus.Success));

    [Test]
    public void IsIgnoredUnderKvmCompat() =>
        Assert.That(new HvTestBed(convention, profile: StatusProfile.KvmCompat)
                .PostRaw(HvTestBed.InputGpa, HvTestBed.MessageConnectionId, 1, 0, [], outputGpa: 0xDEAD_BEEF_0001).Status,
            Is.EqualTo(HvStatus.Success));
}

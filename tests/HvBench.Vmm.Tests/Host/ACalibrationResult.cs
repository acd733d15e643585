using HvBench.Vmm.Host;

namespace HvBench.Vmm.Tests.Host;

/// <summary>How a calibration measurement decides whether guest CPL 0 is emulated.</summary>
[TestFixture, Category("Unit")]
public sealed class ACalibrationResult
{
    [Test]
    public void IsEmulatedWhenTheStatCountedAnInstructionPerIteration() =>
        Assert.That(new Cpl0Calibration(10_000, 1, 0.3, 20_014).Emulated, Is.True, "the stat wins over the timing");

    [Test]
    public void IsNativeWhenTheStatStayedLow() =>
        Assert.That(new Cpl0Calibration(10_000, 1, 900, 3).Emulated, Is.False);

    [TestCase(1060.0, true)]
    [TestCase(0.4, false)]
    public void FallsBackToTheTimingWithoutTheStat(double nanoseconds, bool emulated) =>
        Assert.That(new Cpl0Calibration(10_000, 1, nanoseconds, null).Emulated, Is.EqualTo(emulated));
}

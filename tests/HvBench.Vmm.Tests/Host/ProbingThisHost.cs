using HvBench.Kvm;
using HvBench.Tests;
using HvBench.Vmm.Host;

namespace HvBench.Vmm.Tests.Host;

/// <summary><see cref="HostCapabilities.Probe"/> on the machine the tests run on.</summary>
[TestFixture, Category("Kvm")]
public sealed class ProbingThisHost
{
    private HostCapabilities _host = null!;

    [OneTimeSetUp]
    public void Probe()
    {
        KvmRequirement.Require();
        _host = HostCapabilities.Probe();
    }

    [Test]
    public void ReportsApiVersion12AndEveryCheckedCapability()
    {
        Assert.That(_host.ApiVersion, Is.EqualTo(12));
        Assert.That(_host.Capabilities.Select(c => c.Cap), Is.EqualTo(HostCapabilities.Checked.Select(c => c.Cap)));
        Assert.That(_host.ValueOf(KvmCap.UserMemory), Is.EqualTo(1));
    }

    [Test]
    public void MeasuresCpl0WithTheCalibrationGuest()
    {
        Assert.That(_host.CalibrationProblem, Is.Null);
        Assert.That(_host.Calibration!.Cycles, Is.GreaterThan(0UL));
        // host-kvm.md: on a software KVM CPL 0 is emulated; on VT-x/AMD-V it is native.
        Assert.That(_host.Cpl0Emulated, Is.EqualTo(_host.Virtualization == VirtualizationKind.Software));
    }

    [Test]
    public void ReportsATscFrequency() => Assert.That(_host.TscKhz, Is.GreaterThan(100_000));

    [Test]
    public void ChoosesAnIntercept() => Assert.That(_host.Intercept, Is.Not.Null, _host.InterceptProblem);

    [Test]
    public void RefusesAMissingDeviceWithAMachineExceptionAroundTheKvmError()
    {
        var refusal = Assert.Throws<HvBench.Vmm.MachineException>(() => HostCapabilities.Probe("/nonexistent/kvm"))!;
        Assert.That(refusal.Message, Does.StartWith("cannot open /nonexistent/kvm: "));
        Assert.That(refusal.InnerException, Is.InstanceOf<KvmException>());
    }
}

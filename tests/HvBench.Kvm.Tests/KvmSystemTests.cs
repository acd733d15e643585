using HvBench.Tests;

namespace HvBench.Kvm.Tests;

[TestFixture, Category("Kvm")]
public sealed class OpeningDevKvm
{
    [SetUp]
    public void Require() => KvmRequirement.Require();

    [Test]
    public void ReportsApiVersion12AndTheCapabilitiesHvBenchNeeds()
    {
        using var kvm = KvmSystem.Open();
        Assert.That(kvm.ApiVersion, Is.EqualTo(12));
        Assert.That(kvm.VcpuMmapSize, Is.GreaterThanOrEqualTo(4096));
        Assert.That(kvm.CheckExtension(KvmCap.ImmediateExit), Is.EqualTo(1));
        Assert.That(kvm.CheckExtension(KvmCap.SignalMsi), Is.EqualTo(1));
        Assert.That(kvm.CheckExtension(KvmCap.SyncRegs) & 1, Is.EqualTo(1));
    }

    [Test]
    public void GivesSupportedCpuidWithTheBasicLeaf()
    {
        using var kvm = KvmSystem.Open();
        var cpuid = kvm.GetSupportedCpuid();
        Assert.That(cpuid.Any(e => e.Function == 0), Is.True);
        Assert.That(cpuid.Any(e => e.Function == 1), Is.True);
    }
}

[TestFixture, Category("Unit")]
public sealed class OpeningAMissingDevice
{
    [Test]
    public void ThrowsAKvmExceptionNamingOpenAndEnoent()
    {
        var e = Assert.Throws<KvmException>(() => KvmSystem.Open("/nonexistent/kvm"))!;
        Assert.That(e.Message, Does.Contain("open(/nonexistent/kvm)").And.Contain("ENOENT (2)"));
        Assert.That(e.Errno, Is.EqualTo(2));
    }

    [Test]
    public void ThrowsAKvmExceptionNamingTheIoctlForANonKvmFile()
    {
        var e = Assert.Throws<KvmException>(() => KvmSystem.Open("/dev/null"))!;
        Assert.That(e.Message, Does.StartWith("KVM_GET_API_VERSION failed"));
    }
}

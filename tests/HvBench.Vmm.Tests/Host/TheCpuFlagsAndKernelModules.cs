using HvBench.Vmm.Host;

namespace HvBench.Vmm.Tests.Host;

/// <summary>Virtualization kind from /proc/cpuinfo text and the KVM module from /sys/module names.</summary>
[TestFixture, Category("Unit")]
public sealed class TheCpuFlagsAndKernelModules
{
    [TestCase("flags\t\t: fpu vme de pse tsc msr vmx smx est", VirtualizationKind.VtX)]
    [TestCase("flags\t\t: fpu vme svm extapic cr8_legacy", VirtualizationKind.AmdV)]
    [TestCase("flags\t\t: fpu vme de pse tsc hypervisor lahf_lm", VirtualizationKind.Software)]
    [TestCase("model name\t: vmx inside a name, not a flag\nflags\t\t: fpu", VirtualizationKind.Software)]
    [TestCase("", VirtualizationKind.Software)]
    public void GiveTheVirtualizationKind(string cpuInfo, VirtualizationKind expected) =>
        Assert.That(HostFacts.VirtualizationFromCpuInfo(cpuInfo), Is.EqualTo(expected));

    [TestCase(new[] { "kvm", "kvm_intel", "tun" }, "kvm_intel")]
    [TestCase(new[] { "kvm_amd", "kvm" }, "kvm_amd")]
    [TestCase(new[] { "kvm", "kvm_pvm" }, "kvm_pvm")]
    [TestCase(new[] { "kvm", "kvm_future" }, "kvm_future")]
    [TestCase(new[] { "kvm", "ext4" }, null)]
    public void NameTheKvmVendorModule(string[] modules, string? expected) =>
        Assert.That(HostFacts.KvmModule(modules), Is.EqualTo(expected));
}

using HvBench.Kvm;
using HvBench.Vmm.Host;

namespace HvBench.Vmm.Tests.Host;

/// <summary>What HvBench says when /dev/kvm cannot be opened, from the host's files: the errno alone does not tell a
/// kernel without KVM from one whose vendor module could not bind or one with no device node.</summary>
[TestFixture, Category("Unit")]
public sealed class AKvmDeviceThatCannotBeOpened
{
    private const int Enoent = 2, Eacces = 13, Ebusy = 16;
    private const string MiscWithoutKvm = " 59 cpu_dma_latency\n200 tun\n237 loop-control\n";

    [Test]
    public void OnAKernelThatIsItselfAKvmPvmGuestSaysTheVendorModuleDidNotBind()
    {
        // This project's sandboxes: kvm and kvm_pvm in /sys/module, no kvm in /proc/misc ("kvm-pvm: this kernel is
        // itself a kvm-pvm guest; not binding" in dmesg), no vmx or svm flag.
        string? hint = KvmDeviceProblem.Hint("/dev/kvm", Enoent, MiscWithoutKvm, ["kvm", "kvm_pvm"], VirtualizationKind.Software);
        Assert.That(hint, Does.StartWith("KVM is in this kernel (kvm_pvm in /sys/module) but registered no device")
            .And.Contain("vendor module did not bind").And.Contain("the CPU flags show neither vmx nor svm"));
    }

    [Test]
    public void WithTheDeviceRegisteredButNoNodeSaysHowToMakeIt()
    {
        string? hint = KvmDeviceProblem.Hint("/dev/kvm", Enoent, MiscWithoutKvm + "232 kvm\n", ["kvm", "kvm_intel"], VirtualizationKind.VtX);
        Assert.That(hint, Does.Contain("mknod /dev/kvm c 10 232"));
    }

    [TestCase(VirtualizationKind.VtX, "load kvm_intel or kvm_amd (the CPU offers VT-x (vmx))")]
    [TestCase(VirtualizationKind.Software, "cannot run KVM guests unless its hypervisor offers nested virtualization")]
    public void WithoutKvmInTheKernelSaysWhetherTheCpuCouldRunIt(VirtualizationKind cpu, string expected) =>
        Assert.That(KvmDeviceProblem.Hint("/dev/kvm", Enoent, MiscWithoutKvm, [], cpu), Does.StartWith("this kernel has no KVM loaded").And.Contain(expected));

    [Test]
    public void WithOnlyTheCoreModuleAsksForAVendorModule() =>
        Assert.That(KvmDeviceProblem.Hint("/dev/kvm", Enoent, null, ["kvm"], VirtualizationKind.AmdV),
            Does.StartWith("KVM's core module is loaded but no vendor module is: load kvm_intel or kvm_amd"));

    [Test]
    public void WithoutPermissionSaysWhoMayOpenIt() =>
        Assert.That(KvmDeviceProblem.Hint("/dev/kvm", Eacces, null, ["kvm", "kvm_intel"], VirtualizationKind.VtX),
            Does.Contain("readable and writable by this user").And.Contain("kvm"));

    [Test]
    public void AddsNothingForAnotherPathOrAnotherError()
    {
        Assert.That(KvmDeviceProblem.Hint("/tmp/my-kvm", Enoent, MiscWithoutKvm, ["kvm", "kvm_pvm"], VirtualizationKind.Software), Is.Null,
            "a device the user named: 'ENOENT' says it all");
        Assert.That(KvmDeviceProblem.Hint("/dev/kvm", Ebusy, MiscWithoutKvm, ["kvm", "kvm_pvm"], VirtualizationKind.Software), Is.Null);
    }

    [Test]
    public void DescribeKeepsTheCallAndErrnoFirst()
    {
        string message = KvmDeviceProblem.Describe("/tmp/no-such-kvm", new KvmException("open(/tmp/no-such-kvm)", Enoent));
        Assert.That(message, Is.EqualTo("cannot open /tmp/no-such-kvm: open(/tmp/no-such-kvm) failed: ENOENT (2)"),
            "what the real program prints for such a device: HvbenchWithoutAKvmDevice");
    }
}

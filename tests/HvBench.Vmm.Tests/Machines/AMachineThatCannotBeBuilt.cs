using HvBench.Tests;
using HvBench.Vmm.Loaders;
using HvBench.Vmm.Tests.Hostile;

namespace HvBench.Vmm.Tests.Machines;

/// <summary>An image built from C# (not through the loader, which would refuse it) whose segment lies past the end of
/// RAM: <see cref="Machine.Create"/> fails and leaves no VM, vCPU or /dev/kvm descriptor behind.</summary>
[TestFixture, Category("Kvm")]
public sealed class AMachineThatCannotBeBuilt
{
    [Test]
    public void LeavesNoKvmDescriptorBehind()
    {
        KvmRequirement.Require();
        const ulong Ram = 16UL << 20;
        var image = new GuestImage(Ram + 0x1000, [new ImageSegment(Ram + 0x1000, [0xF4], 1, executable: true)],
            SymbolTable.Empty, GuestImageFormat.Elf64, "outside.elf");
        var config = new MachineConfig { Image = image, VcpuCount = 1, MemoryBytes = Ram };
        int before = ProcessHealth.Now().KvmFileDescriptors;
        for (int i = 0; i < 10; i++)
            Assert.That(() => Machine.Create(config), Throws.TypeOf<ArgumentOutOfRangeException>());
        // Counted without a garbage collection first: a finalizer closing what Create dropped would hide the leak.
        string[] kvmDescriptors = ProcessHealth.DescribeFileDescriptors().Where(fd => fd.Contains("kvm", StringComparison.Ordinal)).ToArray();
        Assert.That(kvmDescriptors, Has.Length.EqualTo(before), string.Join("\n", kvmDescriptors));
    }

    [Test]
    public void WithMoreVpsThanKvmAllowsIsRefusedNamingTheLimit()
    {
        KvmRequirement.Require();
        using var kvm = HvBench.Kvm.KvmSystem.Open();
        int max = kvm.CheckExtension(HvBench.Kvm.KvmCap.MaxVcpus);
        Assume.That(max, Is.Positive, "this KVM does not report KVM_CAP_MAX_VCPUS");
        var image = new GuestImage(0x100000, [new ImageSegment(0x100000, [0xF4], 1, executable: true)], SymbolTable.Empty, GuestImageFormat.Elf64, "hlt.elf");
        var config = new MachineConfig { Image = image, VcpuCount = max + 1 };
        Assert.That(() => Machine.Create(config, kvm), Throws.TypeOf<MachineException>()
            .With.Message.EqualTo($"vcpus: {max + 1} is more than this host's KVM allows in one VM ({max}, KVM_CAP_MAX_VCPUS)"));
    }
}

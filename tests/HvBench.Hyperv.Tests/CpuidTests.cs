using System.Text;
using HvBench.Hyperv.Tests.Support;

namespace HvBench.Hyperv.Tests;

[TestFixture]
[Category("Unit")]
public sealed class HyperVCpuidLeaves
{
    private HvTestBed _bed = null!;

    [SetUp]
    public void SetUp() => _bed = new HvTestBed(vpCount: 3);

    private CpuidLeaf Leaf(uint function)
    {
        Assert.That(_bed.Partition.TryGetCpuidLeaf(function, out CpuidLeaf leaf), Is.True, $"leaf 0x{function:X}");
        return leaf;
    }

    private static string Ascii(params uint[] registers) =>
        Encoding.ASCII.GetString(registers.SelectMany(BitConverter.GetBytes).ToArray());

    [Test]
    public void AreTheSevenLeaves0x40000000To0x40000006InOrder() =>
        Assert.That(_bed.Partition.CpuidLeaves.ToArray().Select(l => l.Function), Is.EqualTo(Enumerable.Range(0x40000000, 7).Select(i => (uint)i)));

    [Test]
    public void ReportMaxLeaf0x40000006AndVendorMicrosoftHv()
    {
        CpuidLeaf leaf = Leaf(0x40000000);
        Assert.Multiple(() =>
        {
            Assert.That(leaf.Eax, Is.EqualTo(0x40000006u));
            Assert.That(Ascii(leaf.Ebx, leaf.Ecx, leaf.Edx), Is.EqualTo("Microsoft Hv"));
        });
    }

    [Test]
    public void ReportInterfaceHv1() => Assert.That(Ascii(Leaf(0x40000001).Eax), Is.EqualTo("Hv#1"));

    [Test]
    public void OfferExactlyTheImplementedMsrsInEax() =>
        Assert.That(Leaf(0x40000003).Eax, Is.EqualTo((1u << 2) | (1u << 5) | (1u << 6)));

    [Test]
    public void ReportThePartitionsHypercallPrivilegesInEbx() =>
        Assert.That(Leaf(0x40000003).Ebx, Is.EqualTo((1u << 4) | (1u << 5)));

    [Test]
    public void FollowAPrivilegeChange()
    {
        _bed.Partition.Privileges = PartitionPrivileges.SignalEvents;
        Assert.That(Leaf(0x40000003).Ebx, Is.EqualTo(1u << 5));
    }

    [Test]
    public void DoNotAdvertiseAGrantedPrivilegeWhoseCallIsNotImplemented()
    {
        // CreatePort (EBX bit 6) is granted, but HvCallCreatePort answers INVALID_HYPERCALL_CODE.
        _bed.Partition.Privileges = PartitionPrivileges.SignalEvents | PartitionPrivileges.CreatePort | PartitionPrivileges.ConnectPort;
        Assert.Multiple(() =>
        {
            Assert.That(Leaf(0x40000003).Ebx, Is.EqualTo(1u << 5));
            Assert.That(_bed.Partition.Privileges.HasFlag(PartitionPrivileges.CreatePort), Is.True, "still granted");
        });
    }

    [Test]
    public void OfferPollingAndTheHypercallMsrLockButNoXmmInput()
    {
        CpuidLeaf leaf = Leaf(0x40000003);
        Assert.Multiple(() =>
        {
            Assert.That(leaf.Edx, Is.EqualTo((1u << 17) | (1u << 18)));
            Assert.That(leaf.Ecx, Is.Zero);
        });
    }

    [Test]
    public void DoNotRecommendDeprecatingAutoEoi() => Assert.That(Leaf(0x40000004).Eax & (1u << 9), Is.Zero);

    [Test]
    public void ReportTheVpCountAsTheMaximum() => Assert.That(Leaf(0x40000005).Eax, Is.EqualTo(3u));

    [Test]
    public void ReportNoHardwareFeatures() => Assert.That(Leaf(0x40000006), Is.EqualTo(new CpuidLeaf(0x40000006, 0, 0, 0, 0)));

    [TestCase(0x3FFFFFFFu)]
    [TestCase(0x40000007u)]
    [TestCase(0x00000001u)]
    public void DoNotIncludeOtherLeaves(uint function) =>
        Assert.That(_bed.Partition.TryGetCpuidLeaf(function, out _), Is.False);
}

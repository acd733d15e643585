using HvBench.Hyperv.Tests.Support;

namespace HvBench.Hyperv.Tests;

/// <summary>Configuration mistakes are the VMM's, not the guest's: they throw.</summary>
[TestFixture]
[Category("Unit")]
public sealed class ConfiguringAPartitionWrongly
{
    [Test]
    public void ThrowsForNoVps() =>
        Assert.That(() => new Partition(1, 0, PartitionPrivileges.None, HypercallConvention.Tlfs, StatusProfile.Tlfs, new FakeGuestMemory(4096), new RecordingSintSink()),
            Throws.TypeOf<ArgumentOutOfRangeException>());

    [Test]
    public void ThrowsForAnUnknownConvention() =>
        Assert.That(() => new Partition(1, 1, PartitionPrivileges.None, (HypercallConvention)7, StatusProfile.Tlfs, new FakeGuestMemory(4096), new RecordingSintSink()),
            Throws.TypeOf<ArgumentOutOfRangeException>());

    [Test]
    public void ThrowsForAnUnknownStatusProfile() =>
        Assert.That(() => new Partition(1, 1, PartitionPrivileges.None, HypercallConvention.Tlfs, (StatusProfile)7, new FakeGuestMemory(4096), new RecordingSintSink()),
            Throws.TypeOf<ArgumentOutOfRangeException>());

    [Test]
    public void ThrowsForADuplicatePortId()
    {
        var bed = new HvTestBed();
        Assert.Multiple(() =>
        {
            Assert.That(() => bed.Partition.AddEventPort(HvTestBed.MessagePortId, 0, 0, 0, 1), Throws.ArgumentException);
            Assert.That(() => bed.Partition.AddMessagePort(HvTestBed.EventPortId, 0, 0), Throws.ArgumentException);
        });
    }

    [Test]
    public void ThrowsForADuplicateConnectionId() =>
        Assert.That(() => new HvTestBed().Partition.AddConnection(HvTestBed.EventConnectionId, new HvTestBed().Partition, 1), Throws.ArgumentException);

    [TestCase(0x0100_0000u, 0, 0, (ushort)0, (ushort)1, TestName = "{m}(port id over 24 bits)")]
    [TestCase(9u, -2, 0, (ushort)0, (ushort)1, TestName = "{m}(negative VP other than Port.AnyVp)")]
    [TestCase(9u, 0, 16, (ushort)0, (ushort)1, TestName = "{m}(SINT 16)")]
    [TestCase(9u, 0, -1, (ushort)0, (ushort)1, TestName = "{m}(SINT -1)")]
    [TestCase(9u, 0, 0, (ushort)0, (ushort)0, TestName = "{m}(no flags)")]
    [TestCase(9u, 0, 0, (ushort)2000, (ushort)49, TestName = "{m}(base + count over 2048)")]
    public void ThrowsForAnEventPortOutOfRange(uint portId, int vp, int sint, ushort baseFlag, ushort count) =>
        Assert.That(() => new HvTestBed().Partition.AddEventPort(portId, vp, sint, baseFlag, count), Throws.TypeOf<ArgumentOutOfRangeException>());

    [Test]
    public void ThrowsForAConnectionIdOver24Bits() =>
        Assert.That(() => new HvTestBed().Partition.AddConnection(0x0100_0000, new HvTestBed().Partition, 1), Throws.TypeOf<ArgumentOutOfRangeException>());
}

[TestFixture]
[Category("Unit")]
public sealed class ConfiguringAPartition
{
    [Test]
    public void AcceptsAPortForAVpThatDoesNotExist() =>
        Assert.That(new HvTestBed().Partition.AddEventPort(9, 100, 0, 2047, 1).TargetVp, Is.EqualTo(100));

    [Test]
    public void AcceptsAConnectionToAPortThatDoesNotExist() =>
        Assert.That(new HvTestBed().Partition.AddConnection(9, new HvTestBed().Partition, 0xFFFFFF).PortId, Is.EqualTo(0xFFFFFFu));

    [Test]
    public void FindsWhatWasAdded()
    {
        var bed = new HvTestBed();
        Assert.Multiple(() =>
        {
            Assert.That(bed.Partition.TryGetPort(HvTestBed.EventPortId, out Port? port), Is.True);
            Assert.That(port, Is.TypeOf<EventPort>().With.Property(nameof(EventPort.FlagCount)).EqualTo(HvTestBed.EventFlagCount));
            Assert.That(port!.Owner, Is.SameAs(bed.Partition));
            Assert.That(bed.Partition.TryGetPort(HvTestBed.MessagePortId, out Port? message) && message.Type == HvPortType.Message, Is.True);
            Assert.That(bed.Partition.TryGetConnection(HvTestBed.EventConnectionId, out Connection? connection), Is.True);
            Assert.That(connection!.PortPartition, Is.SameAs(bed.Partition));
        });
    }

    [Test]
    public void ReportsRemovingSomethingThatIsNotThere()
    {
        var bed = new HvTestBed();
        Assert.Multiple(() =>
        {
            Assert.That(bed.Partition.RemovePort(12345), Is.False);
            Assert.That(bed.Partition.RemoveConnection(12345), Is.False);
            Assert.That(bed.Partition.RemovePort(HvTestBed.EventPortId), Is.True);
            Assert.That(bed.Partition.RemovePort(HvTestBed.EventPortId), Is.False);
        });
    }

    [Test]
    public void KeepsItsIdentity()
    {
        var partition = new Partition(42, 3, PartitionPrivileges.SignalEvents, HypercallConvention.Rax, StatusProfile.Tlfs, new FakeGuestMemory(4096), new RecordingSintSink());
        Assert.Multiple(() =>
        {
            Assert.That(partition.Id, Is.EqualTo(42UL));
            Assert.That(partition.VpCount, Is.EqualTo(3));
            Assert.That(partition.Convention, Is.EqualTo(HypercallConvention.Rax));
            Assert.That(partition.Privileges, Is.EqualTo(PartitionPrivileges.SignalEvents));
            Assert.That(partition.IsActive, Is.True);
        });
    }
}

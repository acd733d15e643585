using HvBench.Vmm.Configuration;

namespace HvBench.Vmm.Tests.Configuration;

/// <summary>The defaults table of scenario.md, applied to <c>{}</c>.</summary>
[TestFixture]
[Category("Unit")]
public sealed class AScenarioWithNoFields
{
    private readonly Scenario _scenario = ScenarioParser.Parse("{}", "empty.json");

    [Test]
    public void HasOneVcpu() => Assert.That(_scenario.Vcpus, Is.EqualTo(1));

    [Test]
    public void Has64MOfMemory() => Assert.That(_scenario.MemoryBytes, Is.EqualTo(64UL * 1024 * 1024));

    [Test]
    public void HasA30SecondTimeout() => Assert.That(_scenario.Timeout, Is.EqualTo(TimeSpan.FromSeconds(30)));

    [Test]
    public void UsesTheTlfsConvention() => Assert.That(_scenario.Hyperv.Convention, Is.EqualTo(HypercallConvention.Tlfs));

    [Test]
    public void MaySignalEventsAndPostMessages()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_scenario.Hyperv.Privileges, Is.EqualTo(PartitionPrivileges.SignalEvents | PartitionPrivileges.PostMessages));
            Assert.That(_scenario.Hyperv.PrivilegeMask, Is.EqualTo((1UL << 36) | (1UL << 37)));
        });
    }

    [Test]
    public void HasNoPortsOrConnections()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_scenario.Hyperv.Ports, Is.Empty);
            Assert.That(_scenario.Hyperv.Connections, Is.Empty);
        });
    }

    [Test]
    public void IsOnePartitionWithId1()
    {
        Assert.That(_scenario.Partitions, Is.Null);
        PartitionSetup partition = _scenario.EffectivePartitions.Single();
        Assert.Multiple(() =>
        {
            Assert.That(partition.Id, Is.EqualTo(1));
            Assert.That(partition.Vcpus, Is.EqualTo(1));
            Assert.That(partition.MemoryBytes, Is.EqualTo(64UL << 20));
            Assert.That(partition.Image, Is.Null);
            Assert.That(partition.Hyperv, Is.SameAs(_scenario.Hyperv));
        });
    }

    [Test]
    public void HasNoWarnings() => Assert.That(_scenario.Warnings, Is.Empty);

    [Test]
    public void EqualsTheScenarioBuiltInCode()
    {
        var inCode = new Scenario { SourceName = "empty.json" };
        Assert.Multiple(() =>
        {
            Assert.That(_scenario.Vcpus, Is.EqualTo(inCode.Vcpus));
            Assert.That(_scenario.MemoryBytes, Is.EqualTo(inCode.MemoryBytes));
            Assert.That(_scenario.Timeout, Is.EqualTo(inCode.Timeout));
            Assert.That(_scenario.Hyperv.Convention, Is.EqualTo(inCode.Hyperv.Convention));
            Assert.That(_scenario.Hyperv.Privileges, Is.EqualTo(inCode.Hyperv.Privileges));
        });
    }
}

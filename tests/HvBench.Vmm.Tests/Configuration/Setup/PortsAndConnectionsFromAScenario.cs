using HvBench.Vmm.Configuration;

namespace HvBench.Vmm.Tests.Configuration.Setup;

/// <summary>A scenario's ports and connections added to Hyper-V model partitions (no KVM needed).</summary>
[TestFixture, Category("Unit")]
public sealed class PortsAndConnectionsFromAScenario
{
    [Test]
    public void AnEventPortKeepsItsTargetSintAndFlags()
    {
        Scenario scenario = ScenarioParser.Load(RepositoryFiles.PathOf("examples", "signal.json"));
        Partition model = ModelPartitions.Create(1, 2);
        ScenarioSetup.AddPortsAndConnections(scenario.EffectivePartitions, [model]);

        Assert.That(model.TryGetPort(1, out Port? port), Is.True);
        var eventPort = (EventPort)port!;
        Assert.Multiple(() =>
        {
            Assert.That(eventPort.TargetVp, Is.EqualTo(1));
            Assert.That(eventPort.TargetSint, Is.EqualTo(2));
            Assert.That(eventPort.BaseFlagNumber, Is.EqualTo(0));
            Assert.That(eventPort.FlagCount, Is.EqualTo(64));
            Assert.That(model.TryGetConnection(7, out Connection? connection), Is.True);
            Assert.That(connection!.PortPartition, Is.SameAs(model));
            Assert.That(connection.PortId, Is.EqualTo(1u));
        });
    }

    [Test]
    public void AMessagePortIsAMessagePort()
    {
        Scenario scenario = ScenarioParser.Load(RepositoryFiles.PathOf("examples", "post-message.json"));
        Partition model = ModelPartitions.Create(1, 2);
        ScenarioSetup.AddPortsAndConnections(scenario.EffectivePartitions, [model]);
        Assert.That(model.TryGetPort(2, out Port? port), Is.True);
        Assert.That(port, Is.InstanceOf<MessagePort>());
        Assert.That(port!.TargetSint, Is.EqualTo(3));
    }

    [Test]
    public void AConnectionToAnotherPartitionsPortPointsAtThatPartition()
    {
        Scenario scenario = ScenarioParser.Load(RepositoryFiles.PathOf("examples", "two-partitions.json"));
        Partition first = ModelPartitions.Create(1, 1), second = ModelPartitions.Create(2, 1);
        ScenarioSetup.AddPortsAndConnections(scenario.EffectivePartitions, [first, second]);
        Assert.Multiple(() =>
        {
            Assert.That(first.TryGetConnection(7, out Connection? fromFirst), Is.True);
            Assert.That(fromFirst!.PortPartition, Is.SameAs(second));
            Assert.That(second.TryGetConnection(7, out Connection? fromSecond), Is.True);
            Assert.That(fromSecond!.PortPartition, Is.SameAs(first));
            Assert.That(first.TryGetPort(1, out _) && second.TryGetPort(1, out _), Is.True);
        });
    }

    [Test]
    public void AConnectionToAMissingPortIsAddedAnyway()
    {
        Scenario scenario = ScenarioParser.Parse("""{ "hyperv": { "connections": [ { "id": 9, "port": 4 } ] } }""", "s.json");
        Partition model = ModelPartitions.Create(1, 1);
        ScenarioSetup.AddPortsAndConnections(scenario.EffectivePartitions, [model]);
        Assert.That(model.TryGetConnection(9, out Connection? connection), Is.True, "the guest must reach HV_STATUS_INVALID_PORT_ID");
        Assert.That(connection!.PortId, Is.EqualTo(4u));
    }
}

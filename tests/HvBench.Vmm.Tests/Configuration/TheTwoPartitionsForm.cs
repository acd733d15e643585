using HvBench.Vmm.Configuration;

namespace HvBench.Vmm.Tests.Configuration;

/// <summary>The partitions extension: two VMs, a connection in one targeting a port owned by the other.</summary>
[TestFixture]
[Category("Unit")]
public sealed class TheTwoPartitionsForm
{
    private const string Json = """
        {
          "timeout": "5s",
          "partitions": [
            { "id": 2, "vcpus": 2, "memory": "32M", "image": "receiver.elf",
              "hyperv": { "convention": "rax", "ports": [ { "id": 1, "type": "event", "targetVp": 1, "targetSint": 2 } ] } },
            { "id": 1,
              "hyperv": { "connections": [ { "id": 7, "port": 1, "partition": 2 }, { "id": 8, "port": 3, "partition": 2 }, { "id": 9, "port": 1 } ] } }
          ]
        }
        """;

    private readonly Scenario _scenario = ScenarioParser.Parse(Json, "/scenarios/two.json");

    [Test]
    public void HasBothPartitionsInFileOrder()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_scenario.Partitions, Is.Not.Null);
            Assert.That(_scenario.EffectivePartitions, Is.SameAs(_scenario.Partitions));
            Assert.That(_scenario.EffectivePartitions.Select(p => p.Id), Is.EqualTo(new[] { 2, 1 }));
            Assert.That(_scenario.Timeout, Is.EqualTo(TimeSpan.FromSeconds(5)));
        });
    }

    [Test]
    public void GivesEachPartitionItsOwnMachineAndHyperv()
    {
        PartitionSetup receiver = _scenario.EffectivePartitions[0];
        PartitionSetup sender = _scenario.EffectivePartitions[1];
        Assert.Multiple(() =>
        {
            Assert.That(receiver.Vcpus, Is.EqualTo(2));
            Assert.That(receiver.MemoryBytes, Is.EqualTo(32UL << 20));
            Assert.That(receiver.Hyperv.Convention, Is.EqualTo(HypercallConvention.Rax));
            Assert.That(sender.Vcpus, Is.EqualTo(1));
            Assert.That(sender.MemoryBytes, Is.EqualTo(64UL << 20));
            Assert.That(sender.Hyperv.Convention, Is.EqualTo(HypercallConvention.Tlfs));
        });
    }

    [Test]
    public void ResolvesImagesAgainstTheScenarioFilesDirectory()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_scenario.EffectivePartitions[0].Image, Is.EqualTo("/scenarios/receiver.elf"));
            Assert.That(_scenario.EffectivePartitions[1].Image, Is.Null);
        });
    }

    [Test]
    public void KeepsWhichPartitionOwnsEachConnectionsPort()
    {
        IReadOnlyList<ConnectionSetup> connections = _scenario.EffectivePartitions[1].Hyperv.Connections;
        Assert.Multiple(() =>
        {
            Assert.That(connections[0].PortPartition, Is.EqualTo(2));
            Assert.That(connections[0].PortPartitionFor(1), Is.EqualTo(2));
            Assert.That(connections[2].PortPartition, Is.Null);
            Assert.That(connections[2].PortPartitionFor(1), Is.EqualTo(1));
        });
    }

    [Test]
    public void WarnsAboutPortsMissingInTheTargetPartition()
    {
        Assert.That(_scenario.Warnings, Is.EqualTo(new[]
        {
            "/scenarios/two.json: $.partitions[1].hyperv.connections[1].port: port 3 does not exist in partition 2; hypercalls on connection 8 return HV_STATUS_INVALID_PORT_ID",
            "/scenarios/two.json: $.partitions[1].hyperv.connections[2].port: port 1 does not exist in partition 1; hypercalls on connection 9 return HV_STATUS_INVALID_PORT_ID",
        }));
    }

    [Test]
    public void LeavesTheSinglePartitionFieldsAtTheirDefaults()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_scenario.Vcpus, Is.EqualTo(ScenarioDefaults.Vcpus));
            Assert.That(_scenario.MemoryBytes, Is.EqualTo(ScenarioDefaults.MemoryBytes));
            Assert.That(_scenario.Hyperv.Ports, Is.Empty);
        });
    }
}

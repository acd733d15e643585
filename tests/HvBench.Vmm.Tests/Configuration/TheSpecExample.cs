using HvBench.Vmm.Configuration;

namespace HvBench.Vmm.Tests.Configuration;

/// <summary>The example at the top of scenario.md, field by field.</summary>
[TestFixture]
[Category("Unit")]
public sealed class TheSpecExample
{
    private const string Json = """
        {
          "vcpus": 2,
          "memory": "64M",
          "timeout": "30s",
          "hyperv": {
            "convention": "tlfs",
            "privileges": ["SignalEvents", "PostMessages"],
            "ports": [
              { "id": 1, "type": "event", "targetVp": 1, "targetSint": 2, "baseFlagNumber": 0, "flagCount": 64 },
              { "id": 2, "type": "message", "targetVp": 0, "targetSint": 3 }
            ],
            "connections": [
              { "id": 7, "port": 1 },
              { "id": 8, "port": 2 }
            ]
          }
        }
        """;

    private readonly Scenario _scenario = ScenarioParser.Parse(Json, "spec.json");

    [Test]
    public void HasTheMachineFields()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_scenario.SourceName, Is.EqualTo("spec.json"));
            Assert.That(_scenario.Vcpus, Is.EqualTo(2));
            Assert.That(_scenario.MemoryBytes, Is.EqualTo(64UL << 20));
            Assert.That(_scenario.Timeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
        });
    }

    [Test]
    public void HasTheEventPort()
    {
        Assert.That(_scenario.Hyperv.Ports[0], Is.EqualTo(new PortSetup
        {
            Id = 1,
            Type = PortType.Event,
            TargetVp = 1,
            TargetSint = 2,
            BaseFlagNumber = 0,
            FlagCount = 64,
        }));
    }

    [Test]
    public void HasTheMessagePortWithoutFlags()
    {
        Assert.That(_scenario.Hyperv.Ports[1], Is.EqualTo(new PortSetup
        {
            Id = 2,
            Type = PortType.Message,
            TargetVp = 0,
            TargetSint = 3,
            BaseFlagNumber = 0,
            FlagCount = 0,
        }));
    }

    [Test]
    public void HasTheConnectionsToItsOwnPorts()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_scenario.Hyperv.Connections, Is.EqualTo(new[]
            {
                new ConnectionSetup { Id = 7, Port = 1 },
                new ConnectionSetup { Id = 8, Port = 2 },
            }));
            Assert.That(_scenario.Hyperv.Connections[0].PortPartitionFor(1), Is.EqualTo(1));
        });
    }

    [Test]
    public void HasNoWarnings() => Assert.That(_scenario.Warnings, Is.Empty);
}

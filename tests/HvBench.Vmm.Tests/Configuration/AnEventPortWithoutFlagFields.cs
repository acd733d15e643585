using HvBench.Vmm.Configuration;

namespace HvBench.Vmm.Tests.Configuration;

[TestFixture]
[Category("Unit")]
public sealed class AnEventPortWithoutFlagFields
{
    [Test]
    public void OwnsFlag0Only()
    {
        Scenario scenario = ScenarioParser.Parse("""{ "hyperv": { "ports": [ { "id": 5, "type": "event", "targetVp": 0, "targetSint": 1 } ] } }""", "s.json");
        PortSetup port = scenario.Hyperv.Ports.Single();
        Assert.Multiple(() =>
        {
            Assert.That(port.BaseFlagNumber, Is.EqualTo(0));
            Assert.That(port.FlagCount, Is.EqualTo(1));
        });
    }

    [Test]
    public void MayReachTheLastFlagOfTheSint()
    {
        Scenario scenario = ScenarioParser.Parse(
            """{ "hyperv": { "ports": [ { "id": 5, "type": "event", "targetVp": 0, "targetSint": 15, "baseFlagNumber": 2040, "flagCount": 8 } ] } }""", "s.json");
        Assert.That(scenario.Hyperv.Ports.Single().BaseFlagNumber + scenario.Hyperv.Ports.Single().FlagCount, Is.EqualTo(2048));
    }
}

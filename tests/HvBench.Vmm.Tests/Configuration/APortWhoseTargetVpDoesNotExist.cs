using HvBench.Vmm.Configuration;

namespace HvBench.Vmm.Tests.Configuration;

/// <summary>scenario.md: allowed (how a guest reaches HV_STATUS_INVALID_VP_INDEX), with a warning.</summary>
[TestFixture]
[Category("Unit")]
public sealed class APortWhoseTargetVpDoesNotExist
{
    private const string Json = """
        { "vcpus": 2, "hyperv": { "ports": [
          { "id": 1, "type": "event", "targetVp": 1, "targetSint": 2 },
          { "id": 2, "type": "event", "targetVp": 2, "targetSint": 2 } ] } }
        """;

    [Test]
    public void IsAccepted() => Assert.That(ScenarioParser.Parse(Json, "s.json").Hyperv.Ports[1].TargetVp, Is.EqualTo(2));

    [Test]
    public void IsWarnedAboutWithItsPathAndTheStatusTheGuestGets()
    {
        Assert.That(ScenarioParser.Parse(Json, "s.json").Warnings, Is.EqualTo(new[]
        {
            "s.json: $.hyperv.ports[1].targetVp: VP 2 does not exist (the machine has VPs 0..1); hypercalls through this port return HV_STATUS_INVALID_VP_INDEX",
        }));
    }

    [Test]
    public void IsNoLongerWarnedAboutOnceTheVpCountIsRaised()
    {
        Scenario scenario = ScenarioParser.Parse(Json, "s.json") with { Vcpus = 3 };
        Assert.That(scenario.Warnings, Is.Empty);
    }
}

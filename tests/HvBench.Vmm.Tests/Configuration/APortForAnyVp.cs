using HvBench.Hyperv;
using HvBench.Vmm.Configuration;

namespace HvBench.Vmm.Tests.Configuration;

/// <summary><c>"targetVp": 4294967295</c>, HV_ANY_VP: an event port whose flags go to any available VP.</summary>
[TestFixture]
[Category("Unit")]
public sealed class APortForAnyVp
{
    private static string Json(string type, long targetVp) => $$"""
        { "vcpus": 2, "hyperv": { "ports": [ { "id": 1, "type": "{{type}}", "targetVp": {{targetVp}}, "targetSint": 2 } ] } }
        """;

    [Test]
    public void IsAnEventPortForPortAnyVpWithoutAWarning()
    {
        Scenario scenario = ScenarioParser.Parse(Json("event", 0xFFFFFFFF), "s.json");
        Assert.Multiple(() =>
        {
            Assert.That(scenario.Hyperv.Ports.Single().TargetVp, Is.EqualTo(Port.AnyVp));
            Assert.That(scenario.Warnings, Is.Empty, "HV_ANY_VP names no particular VP that could be missing");
        });
    }

    [Test]
    public void IsRefusedForAMessagePort() =>
        Assert.That(() => ScenarioParser.Parse(Json("message", 0xFFFFFFFF), "s.json"),
            Throws.TypeOf<ScenarioException>().With.Message.EqualTo("s.json: $.hyperv.ports[0].targetVp: 4294967295 (HV_ANY_VP) is for event ports only"));

    [TestCase(2147483648L)]
    [TestCase(4294967294L)]
    public void IsTheOnlyIndexAboveTheLargestVp(long targetVp) =>
        Assert.That(() => ScenarioParser.Parse(Json("event", targetVp), "s.json"),
            Throws.TypeOf<ScenarioException>().With.Message.EqualTo(
                $"s.json: $.hyperv.ports[0].targetVp: {targetVp} is out of range 0..2147483647 (or 4294967295, HV_ANY_VP, for an event port)"));

    [Test]
    public void PastItIsOutOfTheFieldsRange() =>
        Assert.That(() => ScenarioParser.Parse(Json("event", 4294967296), "s.json"),
            Throws.TypeOf<ScenarioException>().With.Message.StartsWith("s.json: $.hyperv.ports[0].targetVp: 4294967296 is out of range"));
}

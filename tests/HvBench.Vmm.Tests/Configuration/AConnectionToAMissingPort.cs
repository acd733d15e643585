using HvBench.Vmm.Configuration;

namespace HvBench.Vmm.Tests.Configuration;

/// <summary>scenario.md: allowed (how a guest reaches HV_STATUS_INVALID_PORT_ID), with a warning.</summary>
[TestFixture]
[Category("Unit")]
public sealed class AConnectionToAMissingPort
{
    private const string Json = """
        { "hyperv": {
          "ports": [ { "id": 1, "type": "event", "targetVp": 0, "targetSint": 2 } ],
          "connections": [ { "id": 7, "port": 1 }, { "id": 9, "port": 4 } ] } }
        """;

    [Test]
    public void IsAccepted() => Assert.That(ScenarioParser.Parse(Json, "s.json").Hyperv.Connections[1].Port, Is.EqualTo(4u));

    [Test]
    public void IsWarnedAboutWithItsPathAndTheStatusTheGuestGets()
    {
        Assert.That(ScenarioParser.Parse(Json, "s.json").Warnings, Is.EqualTo(new[]
        {
            "s.json: $.hyperv.connections[1].port: port 4 does not exist; hypercalls on connection 9 return HV_STATUS_INVALID_PORT_ID",
        }));
    }
}

using HvBench.Vmm.Configuration;

namespace HvBench.Vmm.Tests.Configuration;

/// <summary>
/// docs/scenario.schema.json types the counts and ids as JSON Schema <c>"integer"</c>, which any number with a zero
/// fractional part satisfies (<c>1e2</c>, <c>100.0</c>); the parser accepts exactly those too, and still refuses 1.5.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class AnIntegerWrittenInAnotherForm
{
    [TestCase("1e2", 100)]
    [TestCase("1E2", 100)]
    [TestCase("1e+2", 100)]
    [TestCase("100.0", 100)]
    [TestCase("2.5e1", 25)]
    [TestCase("1000e-1", 100)]
    public void IsReadAsTheWholeNumberItIs(string number, int expected) =>
        Assert.That(ScenarioParser.Parse($$"""{ "vcpus": {{number}} }""", "s.json").Vcpus, Is.EqualTo(expected));

    [Test]
    public void IsReadInsideNestedObjectsToo()
    {
        Scenario scenario = ScenarioParser.Parse(
            """{ "hyperv": { "ports": [ { "id": 1e0, "type": "event", "targetVp": 0.0, "targetSint": 2e0 } ] } }""", "s.json");
        Assert.That(scenario.Hyperv.Ports[0].TargetSint, Is.EqualTo(2));
    }

    [TestCase("1.5")]
    [TestCase("15e-1")]
    [TestCase("1.0000000000000000000000000001")]
    public void WithAFractionalPartIsStillRefused(string number) =>
        Assert.That(() => ScenarioParser.Parse($$"""{ "vcpus": {{number}} }""", "s.json"),
            Throws.TypeOf<ScenarioException>().With.Message.EqualTo($"s.json: $.vcpus: expected an integer 1..1024, got {number}"));
}

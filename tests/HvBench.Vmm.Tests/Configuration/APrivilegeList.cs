using HvBench.Vmm.Configuration;

namespace HvBench.Vmm.Tests.Configuration;

[TestFixture]
[Category("Unit")]
public sealed class APrivilegeList
{
    [Test]
    public void IsOredIntoTheTlfsMask()
    {
        Scenario scenario = ScenarioParser.Parse("""{ "hyperv": { "privileges": ["AccessSynicRegs", "AccessHypercallMsrs", "SignalEvents"] } }""", "s.json");
        Assert.That(scenario.Hyperv.PrivilegeMask, Is.EqualTo((1UL << 2) | (1UL << 5) | (1UL << 37)));
    }

    [Test]
    public void ThatIsEmptyGrantsNothing()
    {
        Scenario scenario = ScenarioParser.Parse("""{ "hyperv": { "privileges": [] } }""", "s.json");
        Assert.That(scenario.Hyperv.Privileges, Is.EqualTo(PartitionPrivileges.None));
    }

    [Test]
    public void WithoutSignalEventsLacksItsBit()
    {
        Scenario scenario = ScenarioParser.Parse("""{ "hyperv": { "privileges": ["PostMessages"] } }""", "s.json");
        Assert.That(scenario.Hyperv.PrivilegeMask & (1UL << 37), Is.Zero);
    }

    [Test]
    public void MayNameEveryPrivilege()
    {
        string[] names = Enum.GetNames<PartitionPrivileges>().Where(name => name != nameof(PartitionPrivileges.None)).ToArray();
        string json = $$"""{ "hyperv": { "privileges": [{{string.Join(", ", names.Select(name => $"\"{name}\""))}}] } }""";
        PartitionPrivileges all = Enum.GetValues<PartitionPrivileges>().Aggregate(PartitionPrivileges.None, (mask, flag) => mask | flag);
        Assert.That(ScenarioParser.Parse(json, "s.json").Hyperv.Privileges, Is.EqualTo(all));
    }
}

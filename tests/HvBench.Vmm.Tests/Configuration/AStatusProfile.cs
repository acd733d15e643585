using HvBench.Vmm.Configuration;

namespace HvBench.Vmm.Tests.Configuration;

/// <summary><c>hyperv.statusProfile</c> in both scenario forms, and <c>--status-profile</c> over it.</summary>
[TestFixture]
[Category("Unit")]
public sealed class AStatusProfile
{
    private const string TwoPartitions = """
        {
          "partitions": [
            { "id": 1, "hyperv": { "statusProfile": "kvm-compat" } },
            { "id": 2 }
          ]
        }
        """;

    private static string Hello => RepositoryFiles.PathOf("images", "hello.elf");

    [Test]
    public void IsTlfsByDefault() =>
        Assert.That(ScenarioParser.Parse("{}", "s.json").Hyperv.StatusProfile, Is.EqualTo(StatusProfile.Tlfs));

    [TestCase("tlfs", StatusProfile.Tlfs)]
    [TestCase("kvm-compat", StatusProfile.KvmCompat)]
    public void IsReadByName(string name, StatusProfile expected) =>
        Assert.That(ScenarioParser.Parse($$"""{ "hyperv": { "statusProfile": "{{name}}" } }""", "s.json").Hyperv.StatusProfile, Is.EqualTo(expected));

    [Test]
    public void IsReadPerPartition()
    {
        Scenario scenario = ScenarioParser.Parse(TwoPartitions, "s.json");
        Assert.That(scenario.EffectivePartitions.Select(p => p.Hyperv.StatusProfile), Is.EqualTo(new[] { StatusProfile.KvmCompat, StatusProfile.Tlfs }));
    }

    [TestCase("""{ "hyperv": { "statusProfile": "kvm" } }""", "s.json: $.hyperv.statusProfile: ")]
    [TestCase("""{ "partitions": [ { "id": 1, "hyperv": { "statusProfile": 1 } } ] }""", "s.json: $.partitions[0].hyperv.statusProfile: ")]
    public void RefusesAnUnknownValueNamingItsPath(string json, string start) =>
        Assert.That(() => ScenarioParser.Parse(json, "s.json"),
            Throws.TypeOf<ScenarioException>().With.Message.StartsWith(start).And.Message.Contains("kvm-compat"));

    [Test]
    public void IsReplacedByTheFlag()
    {
        Scenario scenario = ScenarioParser.Parse("""{ "hyperv": { "statusProfile": "tlfs" } }""", "s.json");
        MachineConfig config = ScenarioSetup.Plan(scenario, new ScenarioRunOptions { ImagePath = Hello, StatusProfile = StatusProfile.KvmCompat }).Configs.Single();
        Assert.That(config.StatusProfile, Is.EqualTo(StatusProfile.KvmCompat));
    }

    [Test]
    public void ReachesTheMachineConfigOfEachPartition()
    {
        Scenario scenario = ScenarioParser.Parse(TwoPartitions, "s.json");
        IReadOnlyList<MachineConfig> configs = ScenarioSetup.Plan(scenario, new ScenarioRunOptions { ImagePath = Hello }).Configs;
        Assert.That(configs.Select(c => c.StatusProfile), Is.EqualTo(new[] { StatusProfile.KvmCompat, StatusProfile.Tlfs }));
    }

    [Test]
    public void IsReplacedInEveryPartitionByTheFlag()
    {
        Scenario scenario = ScenarioParser.Parse(TwoPartitions, "s.json");
        IReadOnlyList<MachineConfig> configs = ScenarioSetup.Plan(scenario, new ScenarioRunOptions { ImagePath = Hello, StatusProfile = StatusProfile.Tlfs }).Configs;
        Assert.That(configs.Select(c => c.StatusProfile), Is.All.EqualTo(StatusProfile.Tlfs));
    }
}

using HvBench.Vmm.Configuration;

namespace HvBench.Vmm.Tests.Configuration.Setup;

/// <summary>A scenario with <c>partitions</c>: one configuration per partition, and flags that would be ambiguous refused.</summary>
[TestFixture, Category("Unit")]
public sealed class ScenarioSetupOfAPartitionsScenario
{
    private string _dir = null!;

    [SetUp]
    public void MakeDir() => _dir = Directory.CreateTempSubdirectory("hvbench-setup").FullName;

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, recursive: true);

    private static Scenario TwoPartitions => ScenarioParser.Load(RepositoryFiles.PathOf("examples", "two-partitions.json"));

    private static string Hello => RepositoryFiles.PathOf("images", "hello.elf");

    [Test]
    public void PlansOneConfigurationPerPartitionInOrder()
    {
        ScenarioPlan plan = ScenarioSetup.Plan(TwoPartitions, new ScenarioRunOptions { ImagePath = Hello });
        Assert.That(plan.Configs.Select(c => c.PartitionId), Is.EqualTo(new[] { 1UL, 2UL }));
        Assert.That(plan.Configs.Select(c => c.MemoryBytes), Is.All.EqualTo(32UL << 20));
        Assert.That(plan.Configs.Select(c => c.Timeout), Is.All.EqualTo(TimeSpan.FromSeconds(10)));
        Assert.That(plan.Configs.Select(c => c.Image.SourceName), Is.All.EqualTo(Hello));
    }

    [TestCase("--vcpus", "vcpus")]
    [TestCase("--memory", "memory")]
    [TestCase("--convention", "hyperv.convention")]
    public void RefusesAFlagThatCouldMeanAnyPartitionInOneLine(string flag, string field)
    {
        var options = flag switch
        {
            "--vcpus" => new ScenarioRunOptions { ImagePath = Hello, Vcpus = 2 },
            "--memory" => new ScenarioRunOptions { ImagePath = Hello, MemoryBytes = 16UL << 20 },
            _ => new ScenarioRunOptions { ImagePath = Hello, Convention = HypercallConvention.Rax },
        };
        var refusal = Assert.Throws<ScenarioException>(() => ScenarioSetup.Plan(TwoPartitions, options))!;
        Assert.That(refusal.Message, Does.EndWith(
            $"two-partitions.json: $.partitions: {flag} cannot override a scenario with \"partitions\" (set \"{field}\" in each partition instead)"));
        OneLineMessage.AssertClean(refusal);
    }

    [Test]
    public void AcceptsATimeoutFlagForTheWholeRun()
    {
        ScenarioPlan plan = ScenarioSetup.Plan(TwoPartitions, new ScenarioRunOptions { ImagePath = Hello, Timeout = TimeSpan.FromSeconds(2) });
        Assert.That(plan.Configs.Select(c => c.Timeout), Is.All.EqualTo(TimeSpan.FromSeconds(2)));
    }

    [Test]
    public void LoadsAPartitionsOwnImageRelativeToTheScenarioFile()
    {
        File.WriteAllBytes(Path.Combine(_dir, "receiver.bin"), [0xF4]); // hlt
        string scenarioPath = Path.Combine(_dir, "s.json");
        File.WriteAllText(scenarioPath, """{ "partitions": [ { "id": 1 }, { "id": 2, "image": "receiver.bin" } ] }""");
        ScenarioPlan plan = ScenarioSetup.Plan(ScenarioParser.Load(scenarioPath), new ScenarioRunOptions { ImagePath = Hello });
        Assert.That(plan.Configs[0].Image.SourceName, Is.EqualTo(Hello));
        Assert.That(plan.Configs[1].Image.SourceName, Is.EqualTo(Path.Combine(_dir, "receiver.bin")));
        Assert.That(plan.Configs[1].Image.Entry, Is.EqualTo(0x100000UL));
    }

    [Test]
    public void RefusesAPartitionWithoutAnyImageNamingIt()
    {
        var refusal = Assert.Throws<MachineException>(() => ScenarioSetup.Plan(TwoPartitions, new ScenarioRunOptions()))!;
        Assert.That(refusal.Message, Is.EqualTo("partition 1 has no image: give the run an IMAGE or the partition an \"image\""));
    }
}

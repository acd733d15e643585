using HvBench.Vmm.Configuration;

namespace HvBench.Vmm.Tests.Configuration.Setup;

/// <summary>A single-partition scenario with flags given on the command line: the flags win.</summary>
[TestFixture, Category("Unit")]
public sealed class ScenarioSetupWithCommandLineOverrides
{
    private static Scenario Signal => ScenarioParser.Load(RepositoryFiles.PathOf("examples", "signal.json"));

    private static string Hello => RepositoryFiles.PathOf("images", "hello.elf");

    [Test]
    public void TakesTheFlagsOverTheFileValues()
    {
        var options = new ScenarioRunOptions
        {
            ImagePath = Hello, Vcpus = 1, MemoryBytes = 32UL << 20, Timeout = TimeSpan.FromSeconds(3), Convention = HypercallConvention.Rax,
        };
        MachineConfig config = ScenarioSetup.Plan(Signal, options).Configs.Single();
        Assert.Multiple(() =>
        {
            Assert.That(config.VcpuCount, Is.EqualTo(1));
            Assert.That(config.MemoryBytes, Is.EqualTo(32UL << 20));
            Assert.That(config.Timeout, Is.EqualTo(TimeSpan.FromSeconds(3)));
            Assert.That(config.Convention, Is.EqualTo(HypercallConvention.Rax));
            Assert.That(config.PartitionId, Is.EqualTo(1UL));
        });
    }

    [Test]
    public void KeepsTheFileValuesWithoutFlags()
    {
        MachineConfig config = ScenarioSetup.Plan(Signal, new ScenarioRunOptions { ImagePath = Hello }).Configs.Single();
        Assert.Multiple(() =>
        {
            Assert.That(config.VcpuCount, Is.EqualTo(2));
            Assert.That(config.MemoryBytes, Is.EqualTo(64UL << 20));
            Assert.That(config.Timeout, Is.EqualTo(TimeSpan.FromSeconds(10)));
            Assert.That(config.Convention, Is.EqualTo(HypercallConvention.Tlfs));
            Assert.That(config.Privileges, Is.EqualTo(PartitionPrivileges.SignalEvents | PartitionPrivileges.PostMessages));
            Assert.That(config.Image.SourceName, Is.EqualTo(Hello));
        });
    }

    [Test]
    public void WarnsAboutAPortWhoseVpTheVcpusFlagTookAway()
    {
        // signal.json's port targets VP 1; with --vcpus 1 there is no VP 1.
        ScenarioPlan plan = ScenarioSetup.Plan(Signal, new ScenarioRunOptions { ImagePath = Hello, Vcpus = 1 });
        Assert.That(plan.Warnings, Has.Count.EqualTo(1));
        Assert.That(plan.Warnings[0], Does.Contain("$.hyperv.ports[0].targetVp: VP 1 does not exist"));
    }

    [Test]
    public void PassesTheTraceSinkInterceptAndConsoleToTheMachine()
    {
        var sink = new HvBench.Vmm.Tracing.TraceBuffer(16);
        var lines = new List<(ulong, string)>();
        var options = new ScenarioRunOptions
        {
            ImagePath = Hello, Trace = sink, Intercept = HvBench.Vmm.Intercepts.InterceptKind.Breakpoint, OnConsoleLine = (p, l) => lines.Add((p, l)),
        };
        MachineConfig config = ScenarioSetup.Plan(new Scenario(), options).Configs.Single();
        config.OnConsoleLine!("hello");
        Assert.Multiple(() =>
        {
            Assert.That(config.Trace, Is.SameAs(sink));
            Assert.That(config.Intercept, Is.EqualTo(HvBench.Vmm.Intercepts.InterceptKind.Breakpoint));
            Assert.That(lines, Is.EqualTo(new[] { (1UL, "hello") }));
        });
    }
}

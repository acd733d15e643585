using HvBench.Tests;
using HvBench.Vmm.Configuration;

namespace HvBench.Vmm.Tests.Configuration.Setup;

/// <summary>examples/two-partitions.json built on KVM with images/hello.elf: two machines whose model partitions hold
/// the ports and the cross-partition connections, and which run together to a verdict.</summary>
[TestFixture, Category("Kvm")]
public sealed class ScenarioSetupOfTheTwoPartitionsExample
{
    private static ScenarioMachines Build()
    {
        KvmRequirement.Require();
        Scenario scenario = ScenarioParser.Load(RepositoryFiles.PathOf("examples", "two-partitions.json"));
        var warnings = new List<string>();
        var machines = ScenarioSetup.Build(scenario, new ScenarioRunOptions { ImagePath = RepositoryFiles.PathOf("images", "hello.elf") },
            onWarning: warnings.Add);
        Assert.That(warnings, Is.Empty);
        return machines;
    }

    [Test]
    public void BuildsTwoMachinesWithThePortsAndConnectionsInTheModel()
    {
        using ScenarioMachines set = Build();
        Assert.That(set.Machines, Has.Count.EqualTo(2));
        Partition first = set.Machines[0].Hyperv, second = set.Machines[1].Hyperv;
        Assert.Multiple(() =>
        {
            Assert.That(first.Id, Is.EqualTo(1UL));
            Assert.That(second.Id, Is.EqualTo(2UL));
            Assert.That(set.Machines.Select(m => m.Config.MemoryBytes), Is.All.EqualTo(32UL << 20));
            Assert.That(first.TryGetPort(1, out Port? port1) && port1 is EventPort { TargetVp: 0, TargetSint: 2 }, Is.True);
            Assert.That(second.TryGetPort(1, out Port? port2) && port2 is EventPort { TargetVp: 0, TargetSint: 2 }, Is.True);
            Assert.That(first.TryGetConnection(7, out Connection? c1) && c1.PortPartition == second && c1.PortId == 1, Is.True);
            Assert.That(second.TryGetConnection(7, out Connection? c2) && c2.PortPartition == first && c2.PortId == 1, Is.True);
        });
    }

    [Test, CancelAfter(30_000)]
    public void RunsBothPartitionsToAPass(CancellationToken token)
    {
        using ScenarioMachines set = Build();
        RunResult result = set.Run(token);
        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Pass), result.Verdict);
        Assert.That(result.ConsoleText, Does.Contain("--- partition 1 ---").And.Contain("--- partition 2 ---"));
    }
}

using HvBench.Vmm.Configuration;

namespace HvBench.Vmm.Tests.Configuration;

/// <summary>examples/*.json: every one is a valid scenario without warnings, and each shows the feature it is named after.</summary>
[TestFixture]
[Category("Unit")]
public sealed class TheExamples
{
    private static string ExamplePath(string name) => RepositoryFiles.PathOf("examples", name);

    private static IEnumerable<TestCaseData> AllExamples() =>
        Directory.GetFiles(RepositoryFiles.PathOf("examples"), "*.json").Order(StringComparer.Ordinal)
            .Select(path => new TestCaseData(path).SetArgDisplayNames(Path.GetFileName(path)));

    [TestCaseSource(nameof(AllExamples))]
    public void AreValidScenariosWithoutWarnings(string path)
    {
        Scenario scenario = ScenarioParser.Load(path);
        Assert.That(scenario.Warnings, Is.Empty);
    }

    [Test]
    public void IncludeOnePerFeature()
    {
        string[] names = Directory.GetFiles(RepositoryFiles.PathOf("examples"), "*.json").Select(Path.GetFileName).ToArray()!;
        Assert.That(names, Is.SupersetOf(new[] { "signal.json", "post-message.json", "two-partitions.json", "rax-convention.json", "privileges-denied.json",
            "kvm-compat.json", "partition-images.json" }));
    }

    [Test]
    public void SignalHasTwoVpsAndAnEventPortWithAConnection()
    {
        Scenario scenario = ScenarioParser.Load(ExamplePath("signal.json"));
        Assert.Multiple(() =>
        {
            Assert.That(scenario.Vcpus, Is.EqualTo(2));
            Assert.That(scenario.Hyperv.Ports.Single().Type, Is.EqualTo(PortType.Event));
            Assert.That(scenario.Hyperv.Connections.Single().Port, Is.EqualTo(scenario.Hyperv.Ports.Single().Id));
            Assert.That(scenario.Hyperv.Privileges.HasFlag(PartitionPrivileges.SignalEvents), Is.True);
        });
    }

    [Test]
    public void PostMessageHasAMessagePortWithAConnection()
    {
        Scenario scenario = ScenarioParser.Load(ExamplePath("post-message.json"));
        Assert.Multiple(() =>
        {
            Assert.That(scenario.Hyperv.Ports.Single().Type, Is.EqualTo(PortType.Message));
            Assert.That(scenario.Hyperv.Connections.Single().Port, Is.EqualTo(scenario.Hyperv.Ports.Single().Id));
            Assert.That(scenario.Hyperv.Privileges.HasFlag(PartitionPrivileges.PostMessages), Is.True);
        });
    }

    [Test]
    public void TwoPartitionsConnectEachPartitionToAPortOfTheOther()
    {
        Scenario scenario = ScenarioParser.Load(ExamplePath("two-partitions.json"));
        Assert.That(scenario.EffectivePartitions, Has.Count.EqualTo(2));
        foreach (PartitionSetup partition in scenario.EffectivePartitions)
        {
            Assert.That(partition.Hyperv.Connections.Single().PortPartitionFor(partition.Id), Is.Not.EqualTo(partition.Id));
        }
    }

    [Test]
    public void RaxConventionUsesTheRaxConvention() =>
        Assert.That(ScenarioParser.Load(ExamplePath("rax-convention.json")).Hyperv.Convention, Is.EqualTo(HypercallConvention.Rax));

    [Test]
    public void KvmCompatAnswersWithTheKvmCompatStatusProfile() =>
        Assert.That(ScenarioParser.Load(ExamplePath("kvm-compat.json")).Hyperv.StatusProfile, Is.EqualTo(StatusProfile.KvmCompat));

    [Test]
    public void PartitionImagesNamesAnImageForPartition2ThatExistsBesideTheScenario()
    {
        Scenario scenario = ScenarioParser.Load(ExamplePath("partition-images.json"));
        PartitionSetup second = scenario.EffectivePartitions.Single(p => p.Id == 2);
        Assert.That(second.Image, Is.Not.Null);
        Assert.That(File.Exists(Path.Combine(RepositoryFiles.PathOf("examples"), second.Image!)), Is.True, second.Image);
        Assert.That(scenario.EffectivePartitions.Single(p => p.Id == 1).Image, Is.Null, "partition 1 boots the run's IMAGE");
    }

    [Test]
    public void PrivilegesDeniedLacksSignalEventsButHasAConnectionToSignal()
    {
        Scenario scenario = ScenarioParser.Load(ExamplePath("privileges-denied.json"));
        Assert.Multiple(() =>
        {
            Assert.That(scenario.Hyperv.PrivilegeMask & (ulong)PartitionPrivileges.SignalEvents, Is.Zero);
            Assert.That(scenario.Hyperv.Connections, Is.Not.Empty);
        });
    }
}

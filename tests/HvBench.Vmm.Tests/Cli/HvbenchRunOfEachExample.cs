using HvBench.Tests;

namespace HvBench.Vmm.Tests.Cli;

/// <summary>
/// Every examples/*.json wired through <c>hvbench run --config</c>. The guests written for each example (signalling,
/// messages, rax convention, denied privileges) are not built yet; until they are, images/hello.elf checks that each
/// scenario loads, builds its partitions, ports and connections, and runs to a verdict without warnings.
/// </summary>
[TestFixture, Category("Kvm")]
public sealed class HvbenchRunOfEachExample
{
    private static IEnumerable<TestCaseData> Examples() =>
        Directory.GetFiles(RepositoryPaths.Examples, "*.json").Order(StringComparer.Ordinal)
            .Select(path => new TestCaseData(Path.GetRelativePath(RepositoryPaths.Root, path)).SetArgDisplayNames(Path.GetFileName(path)));

    [TestCaseSource(nameof(Examples))]
    public void PassesWithTheHelloImage(string example)
    {
        KvmRequirement.Require();
        var output = HvbenchProcess.Run("run", "images/hello.elf", "--config", example);
        Assert.That(output.ExitCode, Is.Zero, output.Stdout + output.Stderr);
        Assert.That(output.Stdout, Does.Contain("PASS"));
        Assert.That(output.Stderr, Is.Empty, "no warnings");
    }

    [Test]
    public void TwoPartitionsPrefixesEachConsoleLineWithItsPartition()
    {
        KvmRequirement.Require();
        var output = HvbenchProcess.Run("run", "images/hello.elf", "--config", "examples/two-partitions.json");
        Assert.That(output.ExitCode, Is.Zero, output.Stderr);
        Assert.That(output.Stdout, Does.Match(@"(?m)^P[12]\| hello from VP 0 of 1$"));
    }
}

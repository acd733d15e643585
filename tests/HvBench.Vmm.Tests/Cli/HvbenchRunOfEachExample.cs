using HvBench.Tests;

namespace HvBench.Vmm.Tests.Cli;

/// <summary>
/// Every examples/*.json through <c>hvbench run --config</c> with the guest written for it (images/README.md): the
/// feature each example sets up is exercised by real guest code and the run passes.
/// </summary>
[TestFixture, Category("Kvm")]
public sealed class HvbenchRunOfEachExample
{
    /// <summary>Example → (image, a console line or summary text its run must show).</summary>
    private static readonly Dictionary<string, (string Image, string Shows)> s_guests = new()
    {
        ["signal.json"] = ("images/signal.elf", "2 SINT interrupts for 3 signals"),
        ["rax-convention.json"] = ("images/signal-rax.elf", "2 SINT interrupts for 3 signals"),
        ["post-message.json"] = ("images/post-message.elf", "received 3 messages in order"),
        ["privileges-denied.json"] = ("images/access-denied.elf", "HV_STATUS_ACCESS_DENIED 1"),
        ["two-partitions.json"] = ("images/two-partitions.elf", "signalled the other partition and took its SINT2"),
        ["kvm-compat.json"] = ("images/signal.elf", "2 SINT interrupts for 3 signals"),
        ["partition-images.json"] = ("images/two-partitions.elf", "signalled the other partition and took its SINT2"),
    };

    private static IEnumerable<TestCaseData> Examples() =>
        Directory.GetFiles(RepositoryPaths.Examples, "*.json").Order(StringComparer.Ordinal)
            .Select(path => new TestCaseData(Path.GetFileName(path)).SetArgDisplayNames(Path.GetFileName(path)));

    [TestCaseSource(nameof(Examples))]
    public void PassesWithTheGuestWrittenForIt(string example)
    {
        KvmRequirement.Require();
        Assert.That(s_guests.ContainsKey(example), Is.True, $"examples/{example} has no guest in this test's table");
        var (image, shows) = s_guests[example];
        var output = HvbenchProcess.Run("run", image, "--config", $"examples/{example}");
        Assert.That(output.ExitCode, Is.Zero, output.Stdout + output.Stderr);
        Assert.That(output.Stdout, Does.Contain("PASS").And.Contain(shows));
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

using HvBench.Tests;
using HvBench.Vmm.Tests.Machines;

namespace HvBench.Vmm.Tests.Guest;

/// <summary>README.md's "Writing a test guest" example is <see cref="ReadmeExample"/>, line for line, and it passes.</summary>
[TestFixture]
public sealed class TheReadmeExample
{
    private const string Begin = "// README-EXAMPLE-BEGIN", End = "// README-EXAMPLE-END";

    [Test, Category("Unit")]
    public void IsTheCodeOfReadmeExampleCs()
    {
        string source = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "tests/HvBench.Vmm.Tests/Guest/ReadmeExample.cs"));
        int from = source.IndexOf(Begin, StringComparison.Ordinal), to = source.IndexOf(End, StringComparison.Ordinal);
        Assert.That(from, Is.GreaterThanOrEqualTo(0).And.LessThan(to), "the markers are missing from ReadmeExample.cs");
        string example = source[(source.IndexOf('\n', from) + 1)..to];
        Assert.That(example.Split('\n'), Has.Length.LessThanOrEqualTo(30), "the issue asks for an example under 30 lines");

        string readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        int section = readme.IndexOf("\n## Writing a test guest\n", StringComparison.Ordinal);
        Assert.That(section, Is.GreaterThanOrEqualTo(0), "README.md has no section \"Writing a test guest\"");
        int code = readme.IndexOf("```csharp\n", section, StringComparison.Ordinal) + "```csharp\n".Length;
        string shown = readme[code..readme.IndexOf("```\n", code, StringComparison.Ordinal)];
        Assert.That(shown, Is.EqualTo(example), "README.md's example and tests/HvBench.Vmm.Tests/Guest/ReadmeExample.cs differ");
    }

    [Test, Category("Kvm"), CancelAfter(30_000)]
    public void PassesWithTheSignalScenario(CancellationToken token)
    {
        RunResult result = GuestRun.Boot(ReadmeExample.Build(), vcpus: 2, token: token, setup: GuestRun.SignalScenario);
        Assert.That(result.Verdict, Is.EqualTo("PASS"), result.ConsoleText);
        Assert.That(result.Statistics.HypercallsByStatus["HV_STATUS_SUCCESS"], Is.EqualTo(1));
        Assert.That(result.Statistics.SintsAsserted, Is.EqualTo(1));
    }
}

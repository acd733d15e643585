using HvBench.Tests;
using HvBench.Vmm.Tests.Cli;

namespace HvBench.Vmm.Tests.Bench;

/// <summary><c>hvbench bench</c> command lines it cannot use: one line on stderr, exit code 2, nothing measured; and its
/// help.</summary>
[TestFixture, Category("Unit")]
public sealed class HvbenchBenchCommandLine
{
    private static IEnumerable<TestCaseData> Cases()
    {
        yield return new TestCaseData((object)new[] { "bench", "--iterations", "0" }, "--iterations: 0 must be at least 1").SetArgDisplayNames("iterations 0");
        yield return new TestCaseData((object)new[] { "bench", "--vcpus", "1" }, "--vcpus: 1: the bench needs 2 VPs or more").SetArgDisplayNames("vcpus 1");
        yield return new TestCaseData((object)new[] { "bench", "--figures", "signal-round" }, "--figures: 'signal-round' names no figure; the figures are: timer-overhead")
            .SetArgDisplayNames("unknown figure");
        yield return new TestCaseData((object)new[] { "bench", "--compare", "/nonexistent/old.json" }, "--compare: cannot read /nonexistent/old.json")
            .SetArgDisplayNames("compare file missing");
        yield return new TestCaseData((object)new[] { "bench", "--compare", "README.md" }, "--compare: cannot read README.md").SetArgDisplayNames("compare file not JSON");
        yield return new TestCaseData((object)new[] { "bench", "--hypercall-page", "vmmcall" }, "'vmmcall'").SetArgDisplayNames("unknown page");
        yield return new TestCaseData((object)new[] { "bench", "--iterations", "5000000" }, "more than 8,000,000 samples").SetArgDisplayNames("too many samples");
    }

    [TestCaseSource(nameof(Cases)), CancelAfter(30_000)]
    public void PrintsOneLineAndExits2(string[] args, string expected, CancellationToken token)
    {
        var output = HvbenchProcess.Run(args);
        Assert.That(output.ExitCode, Is.EqualTo(2), output.Stdout + output.Stderr);
        Assert.That(output.ErrorLine, Does.StartWith("hvbench: ").And.Contain(expected));
        Assert.That(output.ErrorLine, Does.Not.Contain("\n"));
        Assert.That(output.Stdout, Is.Empty, "nothing was measured");
    }

    [Test, CancelAfter(30_000)]
    public void HelpListsEveryOptionAndTheExitCodes(CancellationToken token)
    {
        var output = HvbenchProcess.Run("bench", "--help");
        Assert.That(output.ExitCode, Is.Zero, output.Stderr);
        string[] options = ["--iterations", "--vcpus", "--figures", "--out", "--json", "--compare", "--hypercall-page", "--intercept", "--kvm-device", "--verbose"];
        Assert.That(options, Has.All.Matches<string>(o => output.Stdout.Contains(o, StringComparison.Ordinal)));
        Assert.That(output.Stdout, Does.Contain("Exit codes: 0 measured, 1 a bench guest failed its checks, 2 usage error, 3 host or KVM error"));
        Assert.That(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md")), Does.Contain("docs/performance.md"));
    }
}

using HvBench.Cli;
using HvBench.Tests;

namespace HvBench.Vmm.Tests.Cli;

/// <summary>The exit codes scripts rely on: the same numbers in <see cref="ExitCodes"/>, in --help and in README.md.</summary>
[TestFixture, Category("Unit")]
public sealed class TheExitCodeDocumentation
{
    private static readonly (int Code, string Word)[] s_codes =
    [
        (ExitCodes.Pass, "pass"), (ExitCodes.GuestFail, "guest fail"), (ExitCodes.UsageError, "usage"),
        (ExitCodes.HostError, "host or KVM error"), (ExitCodes.Timeout, "timeout"), (ExitCodes.Interrupted, "interrupted"),
    ];

    [Test]
    public void HasTheNumbersTheIssueFixes() =>
        Assert.That(s_codes.Select(c => c.Code), Is.EqualTo(new[] { 0, 1, 2, 3, 124, 130 }));

    [Test]
    public void RunHelpNamesEveryCode()
    {
        string help = HvbenchProcess.Run("run", "--help").Stdout;
        foreach (var (code, word) in s_codes) Assert.That(help, Does.Contain($"{code} {word}"));
    }

    [Test]
    public void ReadmeHasARowForEveryCode()
    {
        string readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        foreach (var (code, _) in s_codes) Assert.That(readme, Does.Contain($"\n| {code} | "), $"exit code {code}");
    }
}

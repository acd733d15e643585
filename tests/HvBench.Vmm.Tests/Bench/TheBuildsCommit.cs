using System.Diagnostics;
using System.Text.RegularExpressions;
using HvBench.Bench;
using HvBench.Tests;

namespace HvBench.Vmm.Tests.Bench;

/// <summary>The commit a build records (and bench reports name): the repository's Directory.Build.targets appends
/// <c>-dirty</c> when <c>git status --porcelain</c> lists anything, and adds nothing outside a clone. Checked on a
/// throw-away repository holding a copy of that file and an empty project, through the same MSBuild targets the real
/// build runs (<c>AddSourceRevisionToInformationalVersion</c>).</summary>
[TestFixture, Category("Slow")]
public sealed partial class TheBuildsCommit
{
    private string _repository = null!;

    [SetUp]
    public void MakeACommittedProject()
    {
        _repository = Path.Combine(Path.GetTempPath(), $"hvbench-commit-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_repository);
        File.Copy(Path.Combine(RepositoryPaths.Root, "Directory.Build.targets"), Path.Combine(_repository, "Directory.Build.targets"));
        File.WriteAllText(Path.Combine(_repository, "Probe.csproj"),
            "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework><Version>1.2.3</Version></PropertyGroup></Project>");
        if (Run("git", "init", "-q") is not (0, _))
            Assert.Ignore("git is not installed or cannot make a repository here");
        Assert.That(Run("git", "add", "-A").ExitCode, Is.Zero);
        Assert.That(Run("git", "-c", "user.name=HvBench tests", "-c", "user.email=tests@hvbench.invalid", "commit", "-q", "-m", "probe").ExitCode, Is.Zero);
    }

    [TearDown]
    public void RemoveTheRepository()
    {
        if (_repository is not null && Directory.Exists(_repository)) Directory.Delete(_repository, recursive: true);
    }

    [Test, CancelAfter(120_000)]
    public void IsTheBareCommitForACleanTree(CancellationToken token) =>
        Assert.That(InformationalVersion(), Is.EqualTo($"1.2.3+{Head()}"));

    [Test, CancelAfter(120_000)]
    public void EndsInDirtyWhenAFileWasChanged(CancellationToken token)
    {
        File.AppendAllText(Path.Combine(_repository, "Probe.csproj"), "\n");
        Assert.That(InformationalVersion(), Is.EqualTo($"1.2.3+{Head()}-dirty"));
    }

    [Test, CancelAfter(120_000)]
    public void EndsInDirtyWhenAnUntrackedFileWasAdded(CancellationToken token)
    {
        // A new source file is compiled in (the projects glob **/*.cs) although git does not track it yet.
        File.WriteAllText(Path.Combine(_repository, "New.cs"), "");
        Assert.That(InformationalVersion(), Is.EqualTo($"1.2.3+{Head()}-dirty"));
    }

    [Test, CancelAfter(120_000)]
    public void IsAbsentOutsideAGitClone(CancellationToken token)
    {
        Directory.Delete(Path.Combine(_repository, ".git"), recursive: true);
        Assert.That(InformationalVersion(), Is.EqualTo("1.2.3"));
    }

    [Test]
    public void IsACommitIdWithAnOptionalDirtyMarkerInThisBuild()
    {
        string? commit = BenchRunner.DescribeBuild().Commit;
        if (commit is null) Assert.Ignore("this build was made outside a git clone");
        Assert.That(commit, Does.Match(CommitPattern()));
    }

    [GeneratedRegex("^[0-9a-f]{40}(-dirty)?$")]
    private static partial Regex CommitPattern();

    private string Head()
    {
        var (exitCode, output) = Run("git", "rev-parse", "HEAD");
        Assert.That(exitCode, Is.Zero);
        return output.Trim();
    }

    private string InformationalVersion()
    {
        var (exitCode, output) = Run("dotnet", "msbuild", "Probe.csproj", "-nologo", "-t:AddSourceRevisionToInformationalVersion",
            "-getProperty:InformationalVersion");
        Assert.That(exitCode, Is.Zero, output);
        return output.Trim();
    }

    /// <summary>Runs <paramref name="program"/> in the repository; returns its exit code and stdout (stderr instead
    /// when it failed), or -1 when the program is not installed.</summary>
    private (int ExitCode, string Output) Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = _repository, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DOTNET_NOLOGO"] = "1"; // the first-run banner goes to stdout, where the property is read
        foreach (string arg in args) start.ArgumentList.Add(arg);
        try
        {
            using Process process = Process.Start(start)!;
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, process.ExitCode == 0 ? stdout : stdout + stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (-1, $"{program} is not installed");
        }
    }
}

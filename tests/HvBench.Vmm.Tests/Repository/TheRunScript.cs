using System.Diagnostics;
using HvBench.Tests;

namespace HvBench.Vmm.Tests.Repository;

/// <summary><c>run.sh</c>, the README's set-up commands, as a user meets it before anything is built: a command it does
/// not know is a usage error (exit 2, like hvbench's), and a host without <c>/dev/kvm</c> is told why in one line
/// (exit 3, hvbench's host error) instead of a build followed by a KVM failure.</summary>
[TestFixture, Category("Unit")]
public sealed class TheRunScript
{
    [TestCase("frobnicate", "usage: ./run.sh [test ")]
    [TestCase("soak nothing", "usage: ./run.sh soak model|signals|loader|lifecycle")]
    public void RefusesACommandItDoesNotKnowWithItsUsageAndExitCode2(string arguments, string usage)
    {
        var (exitCode, stdout, stderr) = RunScript(arguments.Split(' '));
        Assert.That(exitCode, Is.EqualTo(2), stderr);
        Assert.That(stderr, Does.StartWith(usage));
        Assert.That(stdout, Is.Empty);
    }

    [Test]
    public void SaysInOneLineWhyAHostWithoutDevKvmCannotRunAGuest()
    {
        if (File.Exists(KvmRequirement.DevicePath)) Assert.Ignore("this host has /dev/kvm: the diagnosis is for hosts without it");
        var (exitCode, stdout, stderr) = RunScript("run", "images/hello.elf");
        Assert.That(exitCode, Is.EqualTo(3), stderr);
        Assert.That(stderr.TrimEnd('\n'), Does.StartWith("run.sh: /dev/kvm does not exist").And.Not.Contain('\n'));
        Assert.That(stdout, Is.Empty, "nothing was built or run");
    }

    private static (int ExitCode, string Stdout, string Stderr) RunScript(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryPaths.Root };
        start.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "run.sh"));
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(), stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"run.sh {string.Join(' ', arguments)} did not finish within 30 s");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}

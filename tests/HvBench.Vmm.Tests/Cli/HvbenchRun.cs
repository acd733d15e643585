using HvBench.Tests;

namespace HvBench.Vmm.Tests.Cli;

[TestFixture, Category("Kvm")]
public sealed class HvbenchRunOfTheHelloImage
{
    [SetUp]
    public void Require() => KvmRequirement.Require();

    [Test]
    public void PrintsTheLinesAndPassWithExitCode0()
    {
        var output = HvbenchProcess.Run("run", "images/hello.elf", "--vcpus", "2", "--memory", "64M", "--timeout", "10s");
        Assert.That(output.ExitCode, Is.Zero, output.Stderr);
        Assert.That(output.Stdout, Does.Contain("hello from VP 0 of 2").And.Contain("hello from VP 1 of 2").And.Contain("PASS"));
    }
}

[TestFixture, Category("Kvm")]
public sealed class HvbenchRunOfASpinningGuest
{
    [Test]
    public void ExitsWith124WithinTwoSecondsOfTheTimeoutNamingTheRip()
    {
        KvmRequirement.Require();
        string image = Path.Combine(Path.GetTempPath(), $"spin-{Guid.NewGuid():N}.bin");
        File.WriteAllBytes(image, [0xEB, 0xFE]); // jmp $
        try
        {
            var output = HvbenchProcess.Run("run", image, "--vcpus", "2", "--memory", "64M", "--timeout", "2s");
            Assert.That(output.ExitCode, Is.EqualTo(124));
            Assert.That(output.Stdout, Does.Contain("FAIL: timed out after 2 s").And.Contain("VP0: RIP=0x100000").And.Contain("VP1: RIP=0x100000").And.Contain("jmp short"));
            // The run's own clock (the summary's run time) is held to the bound; the wall clock also pays for the
            // process and runtime start-up, which a loaded CI host can stretch.
            var runTime = System.Text.RegularExpressions.Regex.Match(output.Stdout, @"(?m)^run time ([\d.]+) ms;");
            Assert.That(runTime.Success, Is.True, output.Stdout);
            Assert.That(double.Parse(runTime.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Is.InRange(2000.0, 4000.0),
                "the run ends at its 2 s timeout, within 2 s");
            Assert.That(output.Elapsed, Is.LessThan(TimeSpan.FromSeconds(4 + 3)), "2 s timeout + at most 2 s + process start");
        }
        finally { File.Delete(image); }
    }
}

[TestFixture, Category("Unit")]
public sealed class HvbenchRunOfABadImage
{
    private string _dir = null!;

    [SetUp]
    public void MakeDir() => _dir = Directory.CreateTempSubdirectory("hvbench-cli").FullName;

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, recursive: true);

    [TestCase("garbage.elf", new byte[] { 1, 2, 3, 4 }, "not an ELF64 image")]
    [TestCase("truncated.elf", new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1 }, "truncated")]
    public void PrintsOneLineAndExits2WithoutAStackTrace(string name, byte[] content, string expected)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, content);
        var output = HvbenchProcess.Run("run", path);
        Assert.That(output.ExitCode, Is.EqualTo(2));
        Assert.That(output.Stderr.TrimEnd(), Does.StartWith("hvbench: ").And.Contain(expected).And.Not.Contain("\n").And.Not.Contain("   at "));
    }

    [Test]
    public void AMissingFileExits2NamingIt()
    {
        var output = HvbenchProcess.Run("run", Path.Combine(_dir, "missing.elf"));
        Assert.That(output.ExitCode, Is.EqualTo(2));
        Assert.That(output.Stderr, Does.Contain("missing.elf"));
    }

    [Test]
    public void ABadOptionValueExits2()
    {
        var output = HvbenchProcess.Run("run", "images/hello.elf", "--memory", "12Q");
        Assert.That(output.ExitCode, Is.EqualTo(2));
        Assert.That(output.Stderr.TrimEnd(), Does.StartWith("hvbench: --memory:").And.Not.Contain("\n"));
    }
}

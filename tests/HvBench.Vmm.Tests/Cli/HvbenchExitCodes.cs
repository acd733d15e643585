using HvBench.Tests;

namespace HvBench.Vmm.Tests.Cli;

/// <summary>A guest that writes 1 to the exit port: FAIL with its code, exit code 1.</summary>
[TestFixture, Category("Kvm")]
public sealed class HvbenchRunOfAGuestThatExitsWith1
{
    [Test]
    public void ExitsWith1NamingTheGuestsCode()
    {
        KvmRequirement.Require();
        using var guests = new CliGuests();
        var output = HvbenchProcess.Run("run", guests.ExitsWith(1), "--timeout", "20s");
        Assert.That(output.ExitCode, Is.EqualTo(1), output.Stderr);
        Assert.That(output.Stdout, Does.Contain("failing\n").And.Contain("FAIL: guest exit code 1 (VP0)"));
        Assert.That(output.Stderr, Is.Empty);
    }
}

/// <summary>No KVM device where hvbench looks (<c>--kvm-device</c> or <c>HVBENCH_KVM_DEVICE</c>): a host error, exit code 3.</summary>
[TestFixture, Category("Unit")]
public sealed class HvbenchWithoutAKvmDevice
{
    private const string Missing = "/nonexistent/kvm";

    [Test]
    public void RunExits3InOneLineNamingTheDevice()
    {
        var output = HvbenchProcess.Run("run", "images/hello.elf", "--kvm-device", Missing);
        Assert.That(output.ExitCode, Is.EqualTo(3));
        Assert.That(output.ErrorLine, Is.EqualTo($"hvbench: cannot open {Missing}: open({Missing}) failed: ENOENT (2)"));
        Assert.That(output.Stdout, Is.Empty);
    }

    [Test]
    public void TheEnvironmentVariableNamesTheDeviceToo()
    {
        var output = HvbenchProcess.Run(TimeSpan.FromSeconds(60), new Dictionary<string, string> { ["HVBENCH_KVM_DEVICE"] = Missing }, "run", "images/hello.elf");
        Assert.That(output.ExitCode, Is.EqualTo(3));
        Assert.That(output.ErrorLine, Does.StartWith($"hvbench: cannot open {Missing}: ").And.Not.Contain("\n"));
    }

    [Test]
    public void CapsExits3InOneLine()
    {
        var output = HvbenchProcess.Run("caps", "--kvm-device", Missing);
        Assert.That(output.ExitCode, Is.EqualTo(3));
        Assert.That(output.ErrorLine, Does.StartWith($"hvbench: cannot open {Missing}: ").And.Not.Contain("\n").And.Not.Contain("   at "));
    }

    [Test]
    public void AScenarioErrorIsStillFoundFirstWithExitCode2()
    {
        string scenario = Path.Combine(Configuration.RepositoryFiles.MalformedDirectory, "sint-16.json");
        var output = HvbenchProcess.Run("run", "images/hello.elf", "--config", scenario, "--kvm-device", Missing);
        Assert.That(output.ExitCode, Is.EqualTo(2), "nothing the user can fix waits behind the host check");
    }
}

/// <summary>Ctrl-C (SIGINT) or SIGTERM during a run: the VM is stopped and torn down, what happened so far is printed,
/// exit code 130.</summary>
[TestFixture, Category("Kvm")]
public sealed class HvbenchRunInterruptedBySignal
{
    [TestCase("INT", "SIGINT")]
    [TestCase("TERM", "SIGTERM")]
    public void Exits130AfterPrintingTheConsoleVerdictAndRegisters(string signal, string name)
    {
        KvmRequirement.Require();
        using var guests = new CliGuests();
        using var running = HvbenchProcess.Start(null, "run", guests.PrintsThenSpins(), "--vcpus", "2", "--timeout", "60s");
        running.WaitForStdout("spinning", TimeSpan.FromSeconds(30));
        running.Signal(signal);
        var output = running.WaitForExit(TimeSpan.FromSeconds(20));
        Assert.That(output.ExitCode, Is.EqualTo(130), output.Stderr);
        Assert.That(output.Stdout, Does.Contain("spinning\n")
            .And.Contain($"FAIL: interrupted by {name}")
            .And.Contain("VP0: RIP=").And.Contain("<spin_forever>")
            .And.Contain("run time "));
    }
}

/// <summary>A guest that spins past its timeout: exit code 124 (the existing HvbenchRunOfASpinningGuest covers the
/// text; this covers --json).</summary>
[TestFixture, Category("Kvm")]
public sealed class HvbenchRunThatTimesOutWithJson
{
    [Test]
    public void Exits124WithTimedOutAndEveryVpsRegistersInTheDocument()
    {
        KvmRequirement.Require();
        using var guests = new CliGuests();
        var output = HvbenchProcess.Run("run", guests.PrintsThenSpins(), "--vcpus", "2", "--timeout", "1s", "--json");
        Assert.That(output.ExitCode, Is.EqualTo(124), output.Stderr);
        using var json = System.Text.Json.JsonDocument.Parse(output.Stdout);
        var root = json.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("outcome").GetString(), Is.EqualTo("timedOut"));
            Assert.That(root.GetProperty("exitCode").GetInt32(), Is.EqualTo(124));
            Assert.That(root.GetProperty("verdict").GetString(), Is.EqualTo("FAIL: timed out after 1 s"));
            Assert.That(root.GetProperty("console").GetString(), Is.EqualTo("spinning\n"));
            var registers = root.GetProperty("registers").EnumerateArray().ToArray();
            Assert.That(registers.Select(r => r.GetProperty("vp").GetInt32()), Is.EqualTo(new[] { 0, 1 }));
            Assert.That(registers[0].GetProperty("symbol").GetString(), Is.EqualTo("spin_forever"));
            Assert.That(registers[0].GetProperty("values").GetProperty("rip").GetString(), Does.StartWith("0x10"));
            Assert.That(registers[0].GetProperty("instruction").GetString(), Does.Contain("jmp"));
        });
    }
}

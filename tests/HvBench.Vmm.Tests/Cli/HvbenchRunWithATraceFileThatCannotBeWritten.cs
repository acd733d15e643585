using HvBench.Tests;

namespace HvBench.Vmm.Tests.Cli;

/// <summary>
/// <c>--trace-file</c> is written after the verdict and summary: a trace that cannot be written costs one line on
/// stderr naming the file, never the verdict; it turns a pass into exit code 3 and leaves a guest failure's code alone.
/// </summary>
[TestFixture, Category("Kvm")]
public sealed class HvbenchRunWithATraceFileThatCannotBeWritten
{
    private CliGuests _guests = null!;

    [SetUp]
    public void Require()
    {
        KvmRequirement.Require();
        _guests = new CliGuests();
    }

    [TearDown]
    public void Remove() => _guests?.Dispose();

    [Test]
    public void APassingRunPrintsItsVerdictThenNamesTheFileAndExits3()
    {
        var output = HvbenchProcess.Run("run", "images/hello.elf", "--trace-file", "/dev/full");
        Assert.Multiple(() =>
        {
            Assert.That(output.ExitCode, Is.EqualTo(3), output.Stderr);
            Assert.That(output.Stdout, Does.Contain("\nPASS\n").And.Contain("run time ").And.Contain("hypercalls: 0"));
            Assert.That(output.ErrorLine, Is.EqualTo("hvbench: --trace-file: cannot write /dev/full: No space left on device"));
        });
    }

    [Test]
    public void AFailingRunKeepsTheGuestsExitCode()
    {
        var output = HvbenchProcess.Run("run", _guests.ExitsWith(5), "--trace-file", "/dev/full");
        Assert.Multiple(() =>
        {
            Assert.That(output.ExitCode, Is.EqualTo(1), output.Stderr);
            Assert.That(output.Stdout, Does.Contain("FAIL"));
            Assert.That(output.ErrorLine, Does.StartWith("hvbench: --trace-file: cannot write /dev/full"));
        });
    }

    [Test]
    public void AHostErrorBeforeTheRunLeavesNoFileBehind()
    {
        string trace = _guests.PathOf("never.json");
        var output = HvbenchProcess.Run("run", "images/hello.elf", "--kvm-device", "/nonexistent/kvm", "--trace-file", trace);
        Assert.Multiple(() =>
        {
            Assert.That(output.ExitCode, Is.EqualTo(3), output.Stderr);
            Assert.That(File.Exists(trace), Is.False, "the trace file is created only when there is a trace to write");
        });
    }
}

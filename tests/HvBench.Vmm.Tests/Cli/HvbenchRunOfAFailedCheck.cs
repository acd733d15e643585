using HvBench.Tests;

namespace HvBench.Vmm.Tests.Cli;

/// <summary>images/assert-fail.elf through the real program: the report of a failed check shows its VP's registers.</summary>
[TestFixture, Category("Kvm")]
public sealed class HvbenchRunOfAFailedCheck
{
    [Test]
    public void PrintsTheCheckThenTheRegistersOfItsVpAtTheReport()
    {
        KvmRequirement.Require();
        var output = HvbenchProcess.Run("run", "images/assert-fail.elf", "--vcpus", "2", "--timeout", "20s");
        Assert.That(output.ExitCode, Is.EqualTo(1), output.Stderr);
        string[] lines = output.Stdout.Split('\n');
        int verdict = Array.FindIndex(lines, l => l.StartsWith("FAIL: VP0: assertion failed: ", StringComparison.Ordinal));
        Assert.That(verdict, Is.GreaterThanOrEqualTo(0), output.Stdout);
        Assert.That(lines[verdict + 1], Does.StartWith("VP0: RIP=0x"), output.Stdout);
        Assert.That(lines[verdict + 2], Does.StartWith("  RAX=0000000000000064 "), "RAX holds exit code 100 at the report");
        Assert.That(output.Stdout, Does.Not.Contain("VP1: RIP="), "only the failing VP's registers");
    }
}

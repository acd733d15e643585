using HvBench.Tests;

namespace HvBench.Vmm.Tests.Cli;

/// <summary>Port I/O no device claims is counted in the text summary, as guest-abi.md says.</summary>
[TestFixture, Category("Kvm")]
public sealed class HvbenchRunOfAGuestTouchingAnUnclaimedPort
{
    [Test]
    public void CountsTheReadsAndWritesInTheSummary()
    {
        KvmRequirement.Require();
        using var guests = new CliGuests();
        var output = HvbenchProcess.Run("run", guests.TouchesAnUnclaimedPort());
        Assert.That(output.ExitCode, Is.Zero, output.Stdout + output.Stderr);
        Assert.That(output.Stdout, Does.Contain("unclaimed port accesses: 1 reads, 2 writes"));
    }

    [Test]
    public void SaysNothingOfThemWhenThereWereNone()
    {
        KvmRequirement.Require();
        var output = HvbenchProcess.Run("run", "images/hello.elf");
        Assert.That(output.Stdout, Does.Not.Contain("unclaimed"));
    }
}

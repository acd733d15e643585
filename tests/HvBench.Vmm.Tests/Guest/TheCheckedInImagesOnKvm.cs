using HvBench.Guest.Images;
using HvBench.Tests;
using HvBench.Vmm.Tests.Machines;

namespace HvBench.Vmm.Tests.Guest;

/// <summary>The image files in images/, booted as ./run.sh and hvbench run boot them, each ending as its README line says.</summary>
[TestFixture, Category("Kvm")]
public sealed class TheCheckedInImagesOnKvm
{
    private static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(RepositoryPaths.Images, name));

    [Test, CancelAfter(30_000)]
    public void SignalPassesWithTheSignalScenario(CancellationToken token)
    {
        RunResult result = GuestRun.Boot(Read("signal.elf"), vcpus: 2, token: token, setup: GuestRun.SignalScenario);
        Assert.That(result.Verdict, Is.EqualTo("PASS"), result.ConsoleText);
    }

    [Test, CancelAfter(30_000)]
    public void FaultDivideReportsADivideError(CancellationToken token)
    {
        RunResult result = GuestRun.Boot(Read("fault-divide.elf"), vcpus: 2, token: token);
        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.GuestFault));
        Assert.That(result.Reason, Does.StartWith("VP0: #DE divide error at RIP=").And.Contain("<divide_by_zero+0xe>: div ecx"));
    }

    [Test, CancelAfter(30_000)]
    public void FaultPageReportsAPageFaultWithCr2(CancellationToken token)
    {
        RunResult result = GuestRun.Boot(Read("fault-page.elf"), vcpus: 2, token: token);
        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.GuestFault));
        Assert.That(result.Reason, Does.StartWith("VP0: #PF page fault").And.Contain("CR2=0x1000000000").And.Contain("<touch_unmapped+0xa>"));
    }

    [Test, CancelAfter(30_000)]
    public void AssertFailReportsItsMessageAndLocation(CancellationToken token)
    {
        RunResult result = GuestRun.Boot(Read("assert-fail.elf"), vcpus: 2, token: token);
        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.GuestFailed));
        Assert.That(result.Reason, Does.StartWith($"VP0: assertion failed: {AssertionFailureGuest.Message} at AssertionFailureGuest.cs:"));
    }

    [Test, CancelAfter(30_000)]
    public void HangTimesOutInSpinForever(CancellationToken token)
    {
        RunResult result = GuestRun.Boot(Read("hang.elf"), vcpus: 2, timeoutSeconds: 1, token: token);
        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.TimedOut));
        Assert.That(result.ConsoleText, Is.EqualTo("VP0: spinning forever\n"));
        Assert.That(FaultReports.DumpOf(result, 0).Symbol, Does.StartWith("spin_forever"));
    }
}

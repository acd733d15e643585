using HvBench.Guest.Images;

namespace HvBench.Vmm.Tests.Machines;

[TestFixture, Category("Kvm")]
public sealed class BootingTheHelloGuest
{
    [Test, CancelAfter(30_000)]
    public void PrintsALineFromEveryVpAndPasses(CancellationToken token)
    {
        RunResult result = GuestRun.Boot(HelloGuest.Build(), vcpus: 2, token: token);
        Assert.That(result.Verdict, Is.EqualTo("PASS"), result.ConsoleText);
        Assert.That(result.ConsoleText, Does.Contain("hello from VP 0 of 2\n").And.Contain("hello from VP 1 of 2\n"));
        Assert.That(result.GuestExitCode, Is.Zero);
    }

    [Test, CancelAfter(30_000)]
    public void RunsOnOneVp(CancellationToken token)
    {
        RunResult result = GuestRun.Boot(HelloGuest.Build(), vcpus: 1, token: token);
        Assert.That(result.Passed, Is.True, result.Verdict);
        Assert.That(result.ConsoleText, Is.EqualTo("hello from VP 0 of 1\n"));
    }
}

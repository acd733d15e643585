using HvBench.Guest.Images;
using HvBench.Guest.Runtime;
using HvBench.Tests;
using HvBench.Vmm.Tests.Machines;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Vmm.Tests.Guest;

/// <summary>assert-fail: VP0 checks that its VP index MSR reads 7; and a guest built here whose check on VP1 fails.</summary>
[TestFixture, Category("Kvm")]
public sealed class AGuestWhoseCheckFails
{
    [Test, CancelAfter(30_000)]
    public void FailsWithTheMessageTheSourceLocationAndTheCheckedInstruction(CancellationToken token)
    {
        byte[] image = AssertionFailureGuest.Build();
        RunResult result = GuestRun.Boot(image, vcpus: 2, token: token);
        string location = $"AssertionFailureGuest.cs:{LineOf("guest/HvBench.Guest/Images/AssertionFailureGuest.cs", "guest.Checks.AreEqual(")}";

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.GuestFailed), result.Verdict);
        Assert.That(result.GuestExitCode, Is.EqualTo(Assertions.FirstExitCode));
        Assert.That(result.Assertion, Is.Not.Null, result.Verdict);
        Assert.That(result.Assertion!.Location, Is.EqualTo(location));
        Assert.That(result.Reason, Does.StartWith($"VP0: assertion failed: {AssertionFailureGuest.Message} at {location} (check 0 at RIP=0x{result.Assertion.Rip:x} <vp0+0x"));
        Assert.That(result.Reason, Does.EndWith(">: cmp rax,7  (483D07000000))"));
        Assert.That(result.ConsoleText, Does.EndWith($"ASSERTION FAILED: {AssertionFailureGuest.Message} ({location})\n"));
    }

    [Test, CancelAfter(30_000)]
    public void ReportsTheVpWhoseCheckFailed(CancellationToken token)
    {
        RunResult result = GuestRun.Boot(BuildWithACheckOnVp1(), vcpus: 2, token: token);
        Assert.That(result.Assertion?.VpIndex, Is.EqualTo(1), result.Verdict);
        Assert.That(result.Reason, Does.StartWith("VP1: assertion failed: VP1's RAX is not zero at AGuestWhoseCheckFails.cs:"));
        Assert.That(result.Reason, Does.Contain("<vp1_check+0xf>: test rax,rax"));
    }

    [Test, CancelAfter(30_000)]
    public void ReportsTheRegistersOfItsVpWhenItReportedTheFailure(CancellationToken token)
    {
        RunResult result = GuestRun.Boot(BuildWithACheckOnVp1(), vcpus: 2, token: token);
        var registers = result.Assertion?.Registers;
        Assert.That(registers, Is.Not.Null, result.Verdict);
        Assert.That(registers!.VpIndex, Is.EqualTo(1));
        Assert.That(registers.Regs.R14, Is.EqualTo(MarkerInR14), "R14 as the check left it");
        Assert.That(registers.Regs.Rax, Is.EqualTo(Assertions.FirstExitCode), "RAX holds the exit code at the report");
        Assert.That(registers.Regs.Rdi, Is.Zero, "RDI holds the check number");
        Assert.That(registers.Format(), Does.StartWith("VP1: RIP=0x").And.Contain($"R14={MarkerInR14:x16}").And.Contain("CR0="));
    }

    private const ulong MarkerInR14 = 0x0123_4567_89AB_CDEF;

    // VP0 idles; VP1 fails a check, with a value in R14 that the assertion routine leaves alone.
    private static byte[] BuildWithACheckOnVp1()
    {
        var guest = new HypervGuest(maxVps: 2);
        guest.OnVp(1, () =>
        {
            guest.Asm.mov(r14, MarkerInR14);
            guest.Asm.mov(eax, 3);
            guest.Checks.IsZero(rax, "VP1's RAX is not zero");
        }, name: "vp1_check");
        return guest.Build();
    }

    private static int LineOf(string relativePath, string text)
    {
        string[] lines = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, relativePath));
        int index = Array.FindIndex(lines, l => l.Contains(text, StringComparison.Ordinal));
        Assert.That(index, Is.GreaterThanOrEqualTo(0), $"{text} not in {relativePath}");
        return index + 1;
    }
}

using HvBench.Guest;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Vmm.Tests.Machines;

/// <summary>Ports 0xF5..0xF7 sit beside the exit port but are not it (guest-abi.md: every port but 0xF4 ignores writes):
/// a guest writes 0 to 0xF5, which must not pass the run, then 7 to 0xF4.</summary>
[TestFixture, Category("Kvm")]
public sealed class AGuestWritingZeroToThePortAfterTheExitPort
{
    [Test, CancelAfter(20_000)]
    public void FailsWithTheCodeItWritesTo0xF4Afterwards(CancellationToken token)
    {
        var g = new GuestBuilder();
        var start = g.Function("_start");
        g.Bind(ref start);
        g.Asm.xor(eax, eax);
        g.Asm.@out(0xF5, al);
        g.Asm.@out(0xF6, ax);
        g.Asm.mov(eax, 7);
        g.Asm.@out(0xF4, eax);
        RunResult result = GuestRun.Boot(g.BuildElf(), token: token);
        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.GuestFailed), result.Verdict);
        Assert.That(result.GuestExitCode, Is.EqualTo(7u));
        Assert.That(result.Statistics.UnclaimedPortWrites, Is.EqualTo(2), "0xF5 and 0xF6 are ports with nothing there");
    }
}

/// <summary>A 16-bit OUT to port 0xF4 (guest-abi.md: 8-, 16- and 32-bit writes end the run).</summary>
[TestFixture, Category("Kvm")]
public sealed class AGuestWritingA16BitExitCode
{
    [Test, CancelAfter(20_000)]
    public void FailsWithTheWholeSixteenBitValueAsItsExitCode(CancellationToken token)
    {
        var g = new GuestBuilder();
        var start = g.Function("_start");
        g.Bind(ref start);
        g.Asm.mov(eax, 0xFFFF_ABCD);                // the upper half must not reach the exit code
        g.Asm.@out(0xF4, ax);
        RunResult result = GuestRun.Boot(g.BuildElf(), token: token);
        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.GuestFailed), result.Verdict);
        Assert.That(result.GuestExitCode, Is.EqualTo(0xABCDu));
    }
}

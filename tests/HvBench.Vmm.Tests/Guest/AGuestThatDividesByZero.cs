using HvBench.Guest.Images;
using HvBench.Guest.Runtime;
using HvBench.Vmm.Tests.Machines;

namespace HvBench.Vmm.Tests.Guest;

/// <summary>fault-divide: VP0 executes <c>div ecx</c> with ECX = 0 after its runtime installed the exception handlers.</summary>
[TestFixture, Category("Kvm")]
public sealed class AGuestThatDividesByZero
{
    private static readonly byte[] s_image = DivideByZeroGuest.Build();

    [Test, CancelAfter(30_000)]
    public void FailsAsAGuestFaultNamingTheVectorTheInstructionAndTheSymbol(CancellationToken token)
    {
        RunResult result = GuestRun.Boot(s_image, vcpus: 2, token: token);
        ulong rip = FaultReports.AddressOf(s_image, "divide_by_zero") + 0xE;
        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.GuestFault), result.Verdict);
        Assert.That(result.Reason, Is.EqualTo($"VP0: #DE divide error at RIP=0x{rip:x} <divide_by_zero+0xe>: div ecx  (F7F1)"));
        Assert.That(result.GuestExitCode, Is.EqualTo(Exceptions.ExitCodeBase));
        Assert.That(result.ConsoleText, Is.EqualTo("VP0: dividing by zero\n"));
    }

    [Test, CancelAfter(30_000)]
    public void ReportsTheRegistersAsTheyWereWhenTheExceptionHit(CancellationToken token)
    {
        RunResult result = GuestRun.Boot(s_image, vcpus: 2, token: token);
        Assert.That(result.Fault, Is.Not.Null, result.Verdict);
        var fault = result.Fault!;
        Assert.That((fault.VpIndex, fault.Vector, fault.ErrorCode), Is.EqualTo((0, 0UL, 0UL)));
        Assert.That((fault.Registers.Rax, fault.Registers.Rbx, fault.Registers.Rcx, fault.Registers.Rdx), Is.EqualTo((0x1234UL, 0xB0BUL, 0UL, 0UL)));
        Assert.That(fault.Registers.R13, Is.EqualTo(2UL), "R13 holds the VP count in every HypervGuest");
        Assert.That(fault.Cs, Is.EqualTo(0x08UL));
        Assert.That(fault.Registers.Rsp, Is.EqualTo(64UL << 20), "VP0's stack top: the body pushed nothing");

        // The dump printed for VP0 is built from the guest's record, not from the handler's registers at the exit.
        string dump = FaultReports.DumpOf(result, 0).Format();
        Assert.That(dump, Does.StartWith($"VP0: RIP=0x{fault.Registers.Rip:x} <divide_by_zero+0xe>: div ecx  (F7F1)\n"));
        Assert.That(dump, Does.Contain("RAX=0000000000001234 RBX=0000000000000b0b RCX=0000000000000000"));
        Assert.That(FaultReports.DumpOf(result, 1).Symbol, Does.Not.StartWith("divide_by_zero"), "VP1's dump is its own");
    }
}

using HvBench.Guest.Runtime;
using HvBench.Vmm.Tests.Machines;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Vmm.Tests.Guest;

/// <summary>A guest built in memory whose VP1 loads through a non-canonical address (#GP) while VP0 idles.</summary>
[TestFixture, Category("Kvm")]
public sealed class AGuestThatFaultsOnItsSecondVp
{
    [Test, CancelAfter(30_000)]
    public void ReportsAGeneralProtectionFaultOnVp1WithItsErrorCode(CancellationToken token)
    {
        var guest = new HypervGuest(maxVps: 2);
        guest.OnVp(1, () =>
        {
            guest.Asm.mov(rbx, 0x0001_0000_0000_0000UL);   // bits 63..48 are not copies of bit 47
            guest.Asm.mov(rax, __qword_ptr[rbx]);
        }, name: "non_canonical_load");
        RunResult result = GuestRun.Boot(guest.Build(), vcpus: 2, token: token);

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.GuestFault), result.Verdict);
        Assert.That(result.Reason, Does.StartWith("VP1: #GP general protection fault (error code 0x0) at RIP=0x"));
        Assert.That(result.Reason, Does.EndWith("<non_canonical_load+0xa>: mov rax,[rbx]  (488B03)"));
        Assert.That(result.Fault!.Registers.Rbx, Is.EqualTo(0x0001_0000_0000_0000UL));
        Assert.That(result.Fault.Registers.R12, Is.EqualTo(1UL), "R12 holds the VP index");
        Assert.That(FaultReports.DumpOf(result, 1).Format(), Does.Contain("<non_canonical_load+0xa>: mov rax,[rbx]"));
    }
}

using HvBench.Guest.Images;
using HvBench.Guest.Runtime;
using HvBench.Vmm.Tests.Machines;

namespace HvBench.Vmm.Tests.Guest;

/// <summary>fault-page: VP0 loads from 64 GiB, which the boot page tables (4 GiB identity map) do not map.</summary>
[TestFixture, Category("Kvm")]
public sealed class AGuestThatReadsUnmappedMemory
{
    private static readonly byte[] s_image = PageFaultGuest.Build();

    [Test, CancelAfter(30_000)]
    public void FailsWithAPageFaultNamingCr2TheInstructionAndTheSymbol(CancellationToken token)
    {
        RunResult result = GuestRun.Boot(s_image, vcpus: 2, token: token);
        ulong rip = FaultReports.AddressOf(s_image, "touch_unmapped") + 0xA;
        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.GuestFault), result.Verdict);
        Assert.That(result.Reason, Is.EqualTo(
            $"VP0: #PF page fault (error code 0x0: not present, read; CR2=0x1000000000) at RIP=0x{rip:x} <touch_unmapped+0xa>: mov ecx,[rsi]  (8B0E)"));
        Assert.That(result.GuestExitCode, Is.EqualTo(Exceptions.ExitCodeBase + 14));
    }

    [Test, CancelAfter(30_000)]
    public void ReportsCr2AndTheRegistersOfTheFaultingInstruction(CancellationToken token)
    {
        RunResult result = GuestRun.Boot(s_image, vcpus: 2, token: token);
        Assert.That(result.Fault, Is.Not.Null, result.Verdict);
        Assert.That(result.Fault!.Cr2, Is.EqualTo(PageFaultGuest.UnmappedAddress));
        Assert.That(result.Fault.Registers.Rsi, Is.EqualTo(PageFaultGuest.UnmappedAddress));
        Assert.That(result.Fault.VectorName, Is.EqualTo("#PF page fault"));
        string dump = FaultReports.DumpOf(result, 0).Format();
        Assert.That(dump, Does.Contain("<touch_unmapped+0xa>: mov ecx,[rsi]"));
        Assert.That(dump, Does.Contain("RSI=0000001000000000").And.Contain("CR2=1000000000"));
    }
}

using HvBench.Guest;
using HvBench.Kvm;
using HvBench.Kvm.Interop;
using HvBench.Tests;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Vmm.Tests.Machines;

/// <summary>RDTSCP on a host that lacks it: KVM stops the vCPU with an internal error (host-kvm.md), and the run must
/// end with a report that says so and names the instruction, not hang or crash.</summary>
[TestFixture, Category("Kvm")]
public sealed class AGuestExecutingRdtscp
{
    private const uint ExtendedFeatures = 0x8000_0001;
    private const int RdtscpBit = 27; // CPUID 0x80000001 EDX

    [Test, CancelAfter(20_000)]
    public void EndsWithAnInternalErrorReportNamingTheInstruction(CancellationToken token)
    {
        KvmRequirement.Require();
        using (var kvm = KvmSystem.Open())
        {
            KvmCpuidEntry2[] supported = kvm.GetSupportedCpuid();
            bool hasRdtscp = Array.Exists(supported, e => e.Function == ExtendedFeatures && (e.Edx & (1u << RdtscpBit)) != 0);
            Assume.That(hasRdtscp, Is.False, "this host offers RDTSCP, so the guest would simply run it");
        }
        var g = new GuestBuilder();
        var start = g.Function("_start");
        var read = g.Function("read_tsc_and_aux");
        g.Bind(ref start);
        g.Bind(ref read);
        g.Asm.rdtscp();
        g.Asm.xor(eax, eax);
        g.Asm.@out(0xF4, eax);

        RunResult result = GuestRun.Boot(g.BuildElf(), token: token);
        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.GuestFault), result.Verdict);
        Assert.That(result.Reason, Does.Contain("internal error").And.Contain("<read_tsc_and_aux>").And.Contain("rdtscp"));
    }
}

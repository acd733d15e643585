using HvBench.Experiments.UserSpaceLapic;
using HvBench.Kvm;
using HvBench.Tests;

namespace HvBench.Vmm.Tests.Experiments;

/// <summary>The user-space LAPIC experiment (docs/performance.md) still measures what it claims: 200 rounds on each path,
/// every round acknowledged by VP1, every sample positive, and the exits each path is supposed to cost.</summary>
[TestFixture, Category("Kvm")]
public sealed class TheUserSpaceLapicExperiment
{
    private const int Rounds = 200;

    [TestCase(SignalPath.InKernel), TestCase(SignalPath.InKernelIsrClear), TestCase(SignalPath.InKernelIsrRewrite), TestCase(SignalPath.UserSpace)]
    [CancelAfter(120_000)]
    public void RunsTwoHundredRoundsWithEveryOneAcknowledged(SignalPath path, CancellationToken token)
    {
        KvmRequirement.Require();
        PingPongResult result = PingPongRun.Measure(path, warmup: 10, Rounds, TimeSpan.FromSeconds(100), token);
        Assert.DoesNotThrow(() => UserSpaceLapicExperiment.Check(result, Rounds));
        Assert.That(result.ExitsByVp[0][PingPongResult.SlotOf(VcpuExitReason.Io)], Is.EqualTo(result.TotalRounds + 1), "one doorbell exit per round, plus the end");
        if (path == SignalPath.UserSpace)
        {
            Assert.That(result.Injected, Is.EqualTo(result.TotalRounds), "one KVM_INTERRUPT per round");
            Assert.That(result.ExitsByVp[1][PingPongResult.SlotOf(VcpuExitReason.Mmio)], Is.GreaterThanOrEqualTo(result.TotalRounds), "an EOI exit per round");
            Assert.That(result.ExitsByVp[1][PingPongResult.SlotOf(VcpuExitReason.Hlt)], Is.GreaterThanOrEqualTo(result.TotalRounds), "a HLT exit per round");
        }
        else
        {
            Assert.That(result.ExitsByVp[1][PingPongResult.SlotOf(VcpuExitReason.Hlt)], Is.Zero, "HLT stays in KVM");
            Assert.That(result.ExitsByVp[1][PingPongResult.SlotOf(VcpuExitReason.Mmio)], Is.Zero, "LAPIC accesses stay in KVM");
        }
        if (path == SignalPath.InKernelIsrRewrite) Assert.That(result.SetLapicCalls, Is.EqualTo(result.GetLapicCalls));
    }
}

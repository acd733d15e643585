using HvBench.Guest.Images;
using HvBench.Vmm.Tests.Machines;
using GuestConvention = HvBench.Guest.Runtime.Convention;
using HvBench.Guest.Runtime;

namespace HvBench.Vmm.Tests.Hyperv;

/// <summary>VP0 signals VP1 while VP1 is halted: the VMM intercepts the VMCALL, sets the flag in VP1's SIEF page and
/// injects SINT2; VP1's handler sees the flag; a second signal to the set flag raises no interrupt.</summary>
[TestFixture, Category("Kvm")]
public sealed class SignalEventBetweenTwoVps
{
    [TestCase(GuestConvention.Tlfs, HypercallRoute.Page, TestName = "ThroughTheHypercallPageInTheTlfsConvention")]
    [TestCase(GuestConvention.Rax, HypercallRoute.Page, TestName = "ThroughTheHypercallPageInTheRaxConvention")]
    [TestCase(GuestConvention.Tlfs, HypercallRoute.DirectVmcall, TestName = "ThroughADirectVmcallSite")]
    [CancelAfter(60_000)]
    public void DeliversTheFlagAndTheSintOnlyOnZeroToOne(GuestConvention convention, HypercallRoute route, CancellationToken token)
    {
        RunResult result = GuestRun.Boot(SignalGuest.Build(convention, route), vcpus: 2, timeoutSeconds: 30, token: token,
            setup: GuestRun.SignalScenario,
            convention: convention == GuestConvention.Rax ? HypercallConvention.Rax : HypercallConvention.Tlfs);
        Assert.That(result.Verdict, Is.EqualTo("PASS"), result.ConsoleText);
        Assert.That(result.ConsoleText, Does.Contain("second signal with the flag still set: SUCCESS, no interrupt"));
        Assert.That(result.Statistics.HypercallsByStatus["HV_STATUS_SUCCESS"], Is.EqualTo(3));
        Assert.That(result.Statistics.SintsAsserted, Is.EqualTo(2), "three signals, two of them 0→1");
        Assert.That(result.Statistics.SintsNotDelivered, Is.Zero);
    }
}

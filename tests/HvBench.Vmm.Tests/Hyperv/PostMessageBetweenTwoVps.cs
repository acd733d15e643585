using HvBench.Guest.Images;
using HvBench.Vmm.Tests.Machines;

namespace HvBench.Vmm.Tests.Hyperv;

/// <summary>HvPostMessage from real guest code: delivery into the SIM slot with its SINT, queueing behind a busy slot
/// with MessagePending set, and redelivery on EOM.</summary>
[TestFixture, Category("Kvm")]
public sealed class PostMessageBetweenTwoVps
{
    [Test, CancelAfter(60_000)]
    public void DeliversAllMessagesInOrderThroughPendingAndEom(CancellationToken token)
    {
        RunResult result = GuestRun.Boot(PostMessageGuest.Build(), vcpus: 2, timeoutSeconds: 30, token: token, setup: machine =>
        {
            machine.Hyperv.AddMessagePort(2, targetVp: 1, targetSint: 3);
            machine.Hyperv.AddConnection(PostMessageGuest.ConnectionId, machine.Hyperv, 2);
        });
        Assert.That(result.Verdict, Is.EqualTo("PASS"), result.ConsoleText);
        Assert.That(result.ConsoleText, Does.Contain("received 3 messages in order"));
        Assert.That(result.Statistics.HypercallsByStatus["HV_STATUS_SUCCESS"], Is.EqualTo(3));
        Assert.That(result.Statistics.SintsAsserted, Is.EqualTo(3), "one SINT per delivered message");
    }
}

namespace HvBench.Vmm.Tests.Hostile;

/// <summary>VP0 and VP1 both signal VP2 as fast as they can, 100,000 signals in all (50,000 each, each sender with a
/// flag of its own); VP2 takes its flags in its SINT handler. Every signal is delivered as a flag or coalesced into a
/// flag already set, and the host's counts are the guest's (<see cref="SignalStorm"/> says how that is exact).
/// <c>HVBENCH_SOAK_SIGNALS=1000000</c> makes it a soak run (docs/reliability.md).</summary>
[TestFixture, Category("Kvm")]
public sealed class TwoSendersSignallingOneReceiverFlatOut
{
    [Test, CancelAfter(1_800_000)]
    public void AccountForEverySignalAndTheHostCountsMatchTheGuests(CancellationToken token)
    {
        int perSender = SignalStorm.TotalSignals(100_000) / 2;
        SignalStorm.Outcome outcome = SignalStorm.Run(vpCount: 3, senders: [0, 1], receivers: [2, 2], perSender, eoi: true,
            timeoutSeconds: 120 + perSender / 1000, token);
        SignalStorm.AssertEverySignalAccountedFor(outcome, perSender);
    }
}

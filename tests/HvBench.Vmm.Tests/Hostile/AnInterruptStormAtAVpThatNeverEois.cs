namespace HvBench.Vmm.Tests.Hostile;

/// <summary>VP0 and VP1 signal VP2 as fast as they can while VP2's SINT handler never writes EOI. On VT-x and AMD-V the
/// unacknowledged vector blocks further SINTs of its priority class, so the flags pile up and coalesce; this host's
/// LAPIC never keeps the ISR bit (host-kvm.md), so VP2 keeps taking them. Either way the run ends with a verdict, the
/// host stays healthy and every signal is accounted for.</summary>
[TestFixture, Category("Kvm")]
public sealed class AnInterruptStormAtAVpThatNeverEois
{
    private const int PerSender = 5_000;

    [Test, CancelAfter(300_000)]
    public void EndsWithAPassAndAccountsForEverySignal(CancellationToken token)
    {
        SignalStorm.Outcome outcome = SignalStorm.Run(vpCount: 3, senders: [0, 1], receivers: [2, 2], PerSender, eoi: false,
            timeoutSeconds: 120, token);
        SignalStorm.AssertEverySignalAccountedFor(outcome, PerSender);
    }
}

using HvBench.Guest.Runtime;
using HvBench.Vmm.Tests.Machines;
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Vmm.Tests.Hostile;

/// <summary>VPs that signal as fast as they can, and receivers that count every flag they consume, so that every
/// signal can be accounted for exactly.</summary>
/// <remarks>
/// Sender s signals connection 10 + s, whose event port 100 + s owns flag s of its receiver's SINT2 slot: each sender has
/// a flag of its own. It counts the calls that returned HV_STATUS_SUCCESS (sent[s], results counter s). A receiver's
/// SINT2 handler takes all its flags at once with XCHG (an atomic test-and-clear) and counts each set flag s in
/// consumed[s] (results counter 4 + s); when every sender is done, each receiver drains what is left the same way.
/// The host sets a flag with one atomic OR and asserts the SINT only when the flag went 0 → 1 (TLFS: a signal to a flag
/// already set is SUCCESS without an interrupt). Only the host sets flags and only the guest clears them, and all end
/// clear, so: the host's HV_STATUS_SUCCESS count = Σ sent; the host's SINT assertions = Σ consumed (every 0 → 1 has
/// its 1 → 0); and sent[s] − consumed[s] signals were coalesced into a flag already set.
/// </remarks>
internal static class SignalStorm
{
    public const byte SintVector = 0x50;
    /// <summary>Wakes a receiver asleep in HLT once the senders are done; a higher priority class than the SINT's, so it
    /// gets through even where a SINT that was never EOIed blocks its own class (VT-x, AMD-V).</summary>
    public const byte WakeVector = 0x70;
    public const int SentCounter = 0, ConsumedCounter = 4;

    /// <summary>The environment variable that, for a soak run, replaces the total number of signals.</summary>
    public const string SoakVariable = "HVBENCH_SOAK_SIGNALS";

    /// <summary>What one storm did, from the guest's counters and the host's summary.</summary>
    public sealed record Outcome(RunResult Result, ulong[] Sent, ulong[] Consumed)
    {
        public ulong TotalSent => (ulong)Sent.Sum(x => (decimal)x);

        public ulong TotalConsumed => (ulong)Consumed.Sum(x => (decimal)x);

        public override string ToString() =>
            $"{TotalSent:N0} signals sent by {Sent.Length} sender(s) ({string.Join(", ", Sent.Select(x => x.ToString("N0")))}), " +
            $"{TotalConsumed:N0} consumed as 0→1 flags ({string.Join(", ", Consumed.Select(x => x.ToString("N0")))}), " +
            $"{TotalSent - TotalConsumed:N0} coalesced; host: {Result.Statistics.HypercallsByStatus.GetValueOrDefault("HV_STATUS_SUCCESS"):N0} " +
            $"HV_STATUS_SUCCESS, {Result.Statistics.SintsAsserted:N0} SINTs asserted; {Result.Elapsed.TotalSeconds:0.0} s";
    }

    /// <summary>The total number of signals: <paramref name="inSuite"/>, or <see cref="SoakVariable"/> when set.</summary>
    public static int TotalSignals(int inSuite) =>
        int.TryParse(Environment.GetEnvironmentVariable(SoakVariable), out int soak) && soak > 0 ? soak : inSuite;

    /// <summary>Runs <paramref name="vpCount"/> VPs where VP <c>senders[s]</c> signals VP <c>receivers[s]</c>
    /// <paramref name="signalsPerSender"/> times; with <paramref name="eoi"/> false the SINT handler never EOIs.</summary>
    public static Outcome Run(int vpCount, int[] senders, int[] receivers, int signalsPerSender, bool eoi, double timeoutSeconds, CancellationToken token)
    {
        byte[] image = Build(vpCount, senders, receivers, signalsPerSender, eoi);
        RunResult result = GuestRun.Boot(image, vcpus: vpCount, timeoutSeconds: timeoutSeconds, token: token, setup: machine =>
        {
            for (int s = 0; s < senders.Length; s++)
            {
                machine.Hyperv.AddEventPort(100 + (uint)s, targetVp: receivers[s], targetSint: 2, baseFlagNumber: (ushort)s, flagCount: 1);
                machine.Hyperv.AddConnection(10 + (uint)s, machine.Hyperv, 100 + (uint)s);
            }
        });
        Assert.That(result.Verdict, Is.EqualTo("PASS"), HostileGuests.Describe(result));
        ulong[] counters = result.Results!.Counters;
        return new Outcome(result, counters[SentCounter..(SentCounter + senders.Length)], counters[ConsumedCounter..(ConsumedCounter + senders.Length)]);
    }

    /// <summary>Every signal is accounted for, and the host's counts are the guest's.</summary>
    public static void AssertEverySignalAccountedFor(Outcome outcome, int signalsPerSender)
    {
        TestContext.Out.WriteLine($"{TestContext.CurrentContext.Test.ClassName?.Split('.')[^1]}: {outcome}");
        RunStatistics statistics = outcome.Result.Statistics;
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Sent, Has.All.EqualTo((ulong)signalsPerSender), "every call returned HV_STATUS_SUCCESS");
            for (int s = 0; s < outcome.Sent.Length; s++)
            {
                Assert.That(outcome.Consumed[s], Is.Positive.And.LessThanOrEqualTo(outcome.Sent[s]), $"sender {s}: consumed ≤ sent");
            }
            Assert.That(statistics.HypercallsByStatus, Is.EqualTo(new Dictionary<string, long> { ["HV_STATUS_SUCCESS"] = (long)outcome.TotalSent }),
                "host: one HV_STATUS_SUCCESS per signal the guest counted");
            Assert.That(statistics.SintsAsserted, Is.EqualTo((long)outcome.TotalConsumed), "host: one SINT per flag the guest consumed (0 → 1)");
            Assert.That(statistics.SintsNotDelivered, Is.Zero);
            Assert.That(statistics.FlagsDroppedOutsideRam, Is.Zero);
        });
    }

    private static byte[] Build(int vpCount, int[] senders, int[] receivers, int signalsPerSender, bool eoi)
    {
        var guest = new HypervGuest(maxVps: vpCount);
        var a = guest.Asm;
        var results = new ResultsBuffer(guest.Builder, 0);
        ulong ready = guest.Sync.CreateBarrier();
        ulong done = guest.Flag("senders_done"), drained = guest.Flag("receivers_drained");
        int[] receiverVps = [.. receivers.Distinct().Order()];
        Label drain = guest.Builder.Function("drain_sint2_flags");

        // The SINT handler: take every flag of this VP's SINT2 slot and count them.
        Label sintHandler = guest.Builder.Function("sint2_consume_flags");
        guest.Idt.SetHandler(SintVector, sintHandler);
        guest.Builder.Bind(ref sintHandler);
        a.push(rax);
        a.push(rcx);
        a.push(rdx);
        a.call(drain);
        if (eoi) Lapic.EmitEoi(a);
        a.pop(rdx);
        a.pop(rcx);
        a.pop(rax);
        a.iretq();
        guest.OnInterrupt(WakeVector, "wake", () => { });

        // drain: XCHG the slot's first word with 0 and count each sender's flag (clobbers RAX, RCX, RDX).
        guest.Builder.Bind(ref drain);
        guest.Synic.EmitSiefSlotAddress(rdx, guest.VpIndex, 2);
        a.xor(eax, eax);
        a.xchg(__qword_ptr[rdx], rax);
        for (int s = 0; s < senders.Length; s++)
        {
            Label clear = a.CreateLabel();
            a.bt(rax, (byte)s);
            a.jnc(clear);
            a.mov(rcx, results.Counter(ConsumedCounter + s));
            a.@lock.inc(__qword_ptr[rcx]);
            a.Label(ref clear);
        }
        a.ret();

        for (int vp = 0; vp < vpCount; vp++)
        {
            int me = vp;
            int[] mine = [.. Enumerable.Range(0, senders.Length).Where(s => senders[s] == me)];
            bool receives = receiverVps.Contains(me);
            guest.OnVp(vp, () =>
            {
                if (me == 0)
                {
                    results.EmitInitialise();
                    guest.Synic.EmitEnableHypercallPage();
                }
                if (receives)
                {
                    guest.Synic.EmitEnable(guest.VpIndex);
                    guest.Synic.EmitSetSint(2, SintVector);
                }
                guest.Sync.EmitBarrier(ready, guest.VpCount);
                a.sti();
                foreach (int s in mine) EmitSend(guest, s, signalsPerSender, results);
                if (mine.Length > 0)
                {
                    guest.Increment(done);
                    foreach (int receiver in receiverVps)
                    {
                        if (receiver == me) continue;
                        a.mov(ecx, receiver);
                        Lapic.EmitSendIpi(a, ecx, WakeVector);
                    }
                }
                if (receives)
                {
                    HostileGuests.WaitFor(a, done, senders.Length);     // interrupts off from here
                    a.call(drain);
                    guest.Increment(drained);
                }
                if (me == 0)
                {
                    Label wait = a.CreateLabel();
                    a.Label(ref wait);
                    a.pause();
                    a.mov(rax, drained);
                    a.cmp(__qword_ptr[rax], receiverVps.Length);
                    a.jb(wait);
                    guest.Pass();
                }
            });
        }
        return guest.Build();
    }

    /// <summary>Sender <paramref name="s"/>'s loop: <paramref name="count"/> signals, each checked for SUCCESS and counted.</summary>
    private static void EmitSend(HypervGuest guest, int s, int count, ResultsBuffer results)
    {
        var a = guest.Asm;
        Label next = a.CreateLabel();
        a.mov(r14d, count);
        a.xor(r15d, r15d);
        a.Label(ref next);
        guest.Hypercalls.EmitSignalEvent(Convention.Tlfs, 10 + (uint)s, 0);
        a.test(ax, ax);
        a.jnz(guest.Checks.Failure("HvSignalEvent did not return HV_STATUS_SUCCESS"));
        a.inc(r15);
        a.dec(r14d);
        a.jnz(next);
        a.mov(rax, results.Counter(SentCounter + s));
        a.mov(__qword_ptr[rax], r15);
    }
}

using HvBench.Guest.Runtime;
using HvBench.Vmm.Tests.Machines;
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Vmm.Tests.Hostile;

/// <summary>One VP points SIEFP and SIMP at the same page, then signals and posts to SINT2, whose 256 bytes are now
/// both its event flags and its message slot. The TLFS does not forbid it, so HvBench works on the same bytes both
/// ways, each by its own rules: flag 0 set makes the slot's MessageType 1, so a message finds the slot busy, sets
/// MessagePending (flag 40) and waits; the guest frees the slot and writes EOM, and the message lands over the flags;
/// a signal to a flag the message left set is coalesced.</summary>
[TestFixture, Category("Kvm")]
public sealed class OnePageAsBothSiefAndSim
{
    private const byte Sint2Vector = 0x50;
    private const ulong Payload = 0x0123456789ABCDEF;
    private const int AfterFlag0 = 0, AfterPost = 1, AfterFlag1 = 2, AfterEom = 3, AfterFlag0Again = 4, PayloadAfterEom = 5,
        InterruptsAfterPost = 6, Interrupts = 7;

    private RunResult _result = null!;

    /// <summary>Event port 1 → VP0 SINT2 (flags 0..63, connection 7); message port 4 → VP0 SINT2 (connection 10).</summary>
    private static void Scenario(Machine machine)
    {
        machine.Hyperv.AddEventPort(1, targetVp: 0, targetSint: 2, baseFlagNumber: 0, flagCount: 64);
        machine.Hyperv.AddConnection(7, machine.Hyperv, 1);
        machine.Hyperv.AddMessagePort(4, targetVp: 0, targetSint: 2);
        machine.Hyperv.AddConnection(10, machine.Hyperv, 4);
    }

    [OneTimeSetUp]
    public void RunTheGuest()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        _result = GuestRun.Boot(Build(), timeoutSeconds: 20, token: cancel.Token, setup: Scenario);
    }

    [Test]
    public void EndsWithAPassAndEveryCallSucceeded()
    {
        Assert.That(_result.Verdict, Is.EqualTo("PASS"), HostileGuests.Describe(_result));
        Assert.That(_result.Statistics.HypercallsByStatus, Is.EqualTo(new Dictionary<string, long> { ["HV_STATUS_SUCCESS"] = 4 }));
    }

    [Test]
    public void QueuesTheMessageBehindTheFlagsAsIfTheyWereAMessage()
    {
        ulong[] counters = _result.Results!.Counters;
        Assert.That(counters[AfterFlag0], Is.EqualTo(1UL));
        Assert.That(counters[AfterPost], Is.EqualTo(1UL | 1UL << 40), "MessagePending set in the flags");
        Assert.That(counters[InterruptsAfterPost], Is.EqualTo(1UL), "a queued message raises no SINT");
        Assert.That(counters[AfterFlag1], Is.EqualTo(3UL | 1UL << 40));
    }

    [Test]
    public void DeliversTheMessageOverTheFlagsAfterEom()
    {
        ulong[] counters = _result.Results!.Counters;
        Assert.That(counters[AfterEom], Is.EqualTo(1UL | 8UL << 32), "MessageType 1, PayloadSize 8, no MessagePending");
        Assert.That(counters[PayloadAfterEom], Is.EqualTo(Payload));
    }

    [Test]
    public void CoalescesASignalToAFlagTheMessageSet()
    {
        Assert.That(_result.Results!.Counters[AfterFlag0Again], Is.EqualTo(_result.Results.Counters[AfterEom]));
        Assert.That(_result.Results.Counters[Interrupts], Is.EqualTo(3UL), "flag 0, flag 1, the delivered message");
        Assert.That(_result.Statistics.SintsAsserted, Is.EqualTo(3));
    }

    private static byte[] Build()
    {
        var guest = new HypervGuest(maxVps: 1);
        var a = guest.Asm;
        var results = new ResultsBuffer(guest.Builder, 0);
        ulong interrupts = guest.Flag("sint2_interrupts");
        ulong postInput = guest.Builder.Allocate("post_input", 256, 256);
        ulong page = guest.Synic.SiefPages, slot = page + 2 * 256;
        guest.OnInterrupt(Sint2Vector, "sint2_handler", () => guest.Increment(interrupts));

        guest.OnVp(0, () =>
        {
            results.EmitInitialise();
            guest.Synic.EmitEnableHypercallPage();
            Msr.EmitWrite(a, Synic.SiefpMsr, page | 1);
            Msr.EmitWrite(a, Synic.SimpMsr, page | 1);
            Msr.EmitWrite(a, Synic.ScontrolMsr, 1);
            guest.Synic.EmitSetSint(2, Sint2Vector);

            HostileGuests.SignalExpectingSuccess(guest, 7, 0);
            HostileGuests.WaitFor(a, interrupts, 1);
            HostileGuests.Copy(a, slot, results.Counter(AfterFlag0));
            HostileGuests.PostExpectingSuccess(guest, postInput, 10, Payload);
            HostileGuests.AllowInterrupts(a);
            HostileGuests.Copy(a, slot, results.Counter(AfterPost));
            HostileGuests.Copy(a, interrupts, results.Counter(InterruptsAfterPost));
            HostileGuests.SignalExpectingSuccess(guest, 7, 1);
            HostileGuests.WaitFor(a, interrupts, 2);
            HostileGuests.Copy(a, slot, results.Counter(AfterFlag1));
            a.mov(rax, slot);
            a.mov(__dword_ptr[rax], 0);                     // the guest frees "the message": MessageType 0, EOM
            Msr.EmitWrite(a, Synic.EomMsr, 0);
            HostileGuests.WaitFor(a, interrupts, 3);
            HostileGuests.Copy(a, slot, results.Counter(AfterEom));
            HostileGuests.Copy(a, slot + 16, results.Counter(PayloadAfterEom));
            HostileGuests.SignalExpectingSuccess(guest, 7, 0);
            HostileGuests.AllowInterrupts(a);
            HostileGuests.Copy(a, slot, results.Counter(AfterFlag0Again));
            HostileGuests.Copy(a, interrupts, results.Counter(Interrupts));
            guest.Pass();
        });
        return guest.Build();
    }
}

using HvBench.Guest.Runtime;
using HvBench.Vmm.Tests.Machines;
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Vmm.Tests.Hostile;

/// <summary>One VP points its SIEF and SIM pages past the end of RAM, at the LAPIC page and at its own code, and signals
/// and posts to itself each time; then it points them back at RAM. The TLFS lets a guest put these pages anywhere: a
/// page outside RAM is "just not accessible", and a page over RAM overlays it. So HvBench accepts every MSR write,
/// answers every call with HV_STATUS_SUCCESS, drops (and counts) what cannot be written, leaves the LAPIC alone, writes
/// flags and messages into the guest's code where it asked for it (code bytes there look like a message waiting in the
/// slot, so the new one is queued, MessagePending set, until the guest frees the slot and writes EOM), and the machine
/// keeps working.</summary>
[TestFixture, Category("Kvm")]
public sealed class SynicPagesAtWildAddresses
{
    private const ulong Ram = 64UL << 20;
    private const ulong LapicPage = 0xFEE00000;
    private const byte Sint2Vector = 0x50, Sint3Vector = 0x53;
    private const int FlagInCode = 5;
    private const ulong Payload = 0x1122334455667788;
    private const int InterruptsWhileOutsideRam = 0, LapicSvrAfter = 1, CodeWordBefore = 2, CodeWordAfter = 3,
        MessageTypeInCode = 4, PayloadInCode = 5, Sint2Interrupts = 6, Sint3Interrupts = 7, CodeSlotAfterPost = 8;
    private const ulong NopWord = 0x9090_9090_9090_9090, MessagePending = 1UL << 40;

    /// <summary>Three signals and two messages go to pages outside RAM; two signals and two messages reach RAM.</summary>
    private const int Signals = 5, Posts = 4;

    private RunResult _result = null!;

    /// <summary>Event port 1 → VP0 SINT2 (flags 0..63, connection 7); message port 4 → VP0 SINT3 (connection 10).</summary>
    private static void Scenario(Machine machine)
    {
        machine.Hyperv.AddEventPort(1, targetVp: 0, targetSint: 2, baseFlagNumber: 0, flagCount: 64);
        machine.Hyperv.AddConnection(7, machine.Hyperv, 1);
        machine.Hyperv.AddMessagePort(4, targetVp: 0, targetSint: 3);
        machine.Hyperv.AddConnection(10, machine.Hyperv, 4);
    }

    [OneTimeSetUp]
    public void RunTheGuest()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        _result = GuestRun.Boot(Build(), timeoutSeconds: 20, token: cancel.Token, memoryBytes: Ram, setup: Scenario);
    }

    [Test]
    public void EndsWithAPassAndEveryCallSucceeded()
    {
        Assert.That(_result.Verdict, Is.EqualTo("PASS"), HostileGuests.Describe(_result));
        Assert.That(_result.Statistics.HypercallsByStatus, Is.EqualTo(new Dictionary<string, long> { ["HV_STATUS_SUCCESS"] = Signals + Posts }));
        Assert.That(_result.Statistics.MsrFaults, Is.Zero, "the TLFS lets SIEFP and SIMP point anywhere");
    }

    [Test]
    public void ReportsEveryFlagAndMessageThatHadNowhereToGo()
    {
        Assert.That(_result.Statistics.FlagsDroppedOutsideRam, Is.EqualTo(3), "past RAM twice, the LAPIC page once");
        Assert.That(_result.Statistics.MessagesDroppedOutsideRam, Is.EqualTo(2), "past RAM, the LAPIC page");
        Assert.That(_result.Results!.Counters[InterruptsWhileOutsideRam], Is.Zero, "no interrupt for a flag nobody can see");
    }

    [Test]
    public void LeavesTheLapicAlone() =>
        Assert.That(_result.Results!.Counters[LapicSvrAfter], Is.EqualTo(0x1FFUL), "SVR as the guest set it");

    [Test]
    public void SetsTheFlagInTheGuestsCodeWhenItsSiefPageIsThere()
    {
        ulong[] counters = _result.Results!.Counters;
        Assert.That(counters[CodeWordAfter], Is.EqualTo(counters[CodeWordBefore] | 1UL << FlagInCode));
        Assert.That(counters[CodeWordAfter], Is.Not.EqualTo(counters[CodeWordBefore]), "the code bytes there had the bit clear");
    }

    [Test]
    public void TakesTheGuestsCodeForAMessageInTheSlotAndSetsMessagePendingThere() =>
        Assert.That(_result.Results!.Counters[CodeSlotAfterPost], Is.EqualTo(NopWord | MessagePending));

    [Test]
    public void WritesTheMessageOverTheGuestsCodeOnceTheGuestFreesTheSlot()
    {
        Assert.That(_result.Results!.Counters[MessageTypeInCode], Is.EqualTo(1UL));
        Assert.That(_result.Results.Counters[PayloadInCode], Is.EqualTo(Payload));
    }

    [Test]
    public void RaisesOneSintPerFlagAndMessageThatReachedRam()
    {
        Assert.That(_result.Results!.Counters[Sint2Interrupts], Is.EqualTo(2UL), "RAM, then the code page");
        Assert.That(_result.Results.Counters[Sint3Interrupts], Is.EqualTo(2UL), "the code page, then RAM");
        Assert.That(_result.Statistics.SintsAsserted, Is.EqualTo(4));
    }

    private static byte[] Build()
    {
        var guest = new HypervGuest(maxVps: 1);
        var a = guest.Asm;
        var results = new ResultsBuffer(guest.Builder, 0);
        ulong sint2Count = guest.Flag("sint2_interrupts"), sint3Count = guest.Flag("sint3_interrupts");
        ulong postInput = guest.Builder.Allocate("post_input", 256, 256);
        Label victim = guest.Builder.Object("victim_code");
        guest.OnInterrupt(Sint2Vector, "sint2_handler", () => guest.Increment(sint2Count));
        guest.OnInterrupt(Sint3Vector, "sint3_handler", () => guest.Increment(sint3Count));

        guest.OnVp(0, () =>
        {
            results.EmitInitialise();
            guest.Synic.EmitEnableHypercallPage();
            guest.Synic.EmitEnable(guest.VpIndex);
            guest.Synic.EmitSetSint(2, Sint2Vector);
            guest.Synic.EmitSetSint(3, Sint3Vector);
            a.lea(r15, __[victim]);                          // the first whole page of the victim area
            a.add(r15, 0xFFF);
            a.and(r15, -0x1000);

            // Flags to pages outside RAM: past its end, far past it, the LAPIC page.
            foreach (ulong page in new[] { Ram, 1UL << 40, LapicPage })
            {
                SetPage(a, Synic.SiefpMsr, page);
                HostileGuests.SignalExpectingSuccess(guest, 7, 0);
            }
            HostileGuests.AllowInterrupts(a);
            HostileGuests.Copy(a, sint2Count, results.Counter(InterruptsWhileOutsideRam));
            a.mov(eax, Lapic.Svr);
            a.mov(eax, __dword_ptr[rax]);
            a.mov(rdx, results.Counter(LapicSvrAfter));
            a.mov(__qword_ptr[rdx], rax);

            // Back in RAM: the flag and the interrupt arrive.
            SetPage(a, Synic.SiefpMsr, guest.Synic.SiefPages);
            HostileGuests.SignalExpectingSuccess(guest, 7, 0);
            HostileGuests.WaitFor(a, sint2Count, 1);

            // Over its own code: the flag is a bit of an instruction.
            a.mov(r9, r15);
            a.or(r9, 1);
            Msr.EmitWrite(a, Synic.SiefpMsr, r9);
            a.mov(rbx, __qword_ptr[r15 + 2 * 256]);
            a.mov(rdx, results.Counter(CodeWordBefore));
            a.mov(__qword_ptr[rdx], rbx);
            HostileGuests.SignalExpectingSuccess(guest, 7, FlagInCode);
            a.mov(rbx, __qword_ptr[r15 + 2 * 256]);
            a.mov(rdx, results.Counter(CodeWordAfter));
            a.mov(__qword_ptr[rdx], rbx);
            HostileGuests.WaitFor(a, sint2Count, 2);

            // Messages to SIM pages outside RAM: accepted, then dropped.
            foreach (ulong page in new[] { Ram, LapicPage })
            {
                SetPage(a, Synic.SimpMsr, page);
                HostileGuests.PostExpectingSuccess(guest, postInput, 10, Payload);
            }
            HostileGuests.AllowInterrupts(a);

            // Over its own code: the message is written there, and its SINT raised.
            a.mov(r9, r15);
            a.or(r9, 1);
            Msr.EmitWrite(a, Synic.SimpMsr, r9);
            HostileGuests.PostExpectingSuccess(guest, postInput, 10, Payload);
            HostileGuests.AllowInterrupts(a);
            a.mov(rax, __qword_ptr[r15 + 3 * 256]);
            a.mov(rdx, results.Counter(CodeSlotAfterPost));
            a.mov(__qword_ptr[rdx], rax);
            a.mov(__dword_ptr[r15 + 3 * 256], 0);          // "consume" it: MessageType 0, then EOM
            Msr.EmitWrite(a, Synic.EomMsr, 0);
            HostileGuests.WaitFor(a, sint3Count, 1);
            a.mov(eax, __dword_ptr[r15 + 3 * 256]);
            a.mov(rdx, results.Counter(MessageTypeInCode));
            a.mov(__qword_ptr[rdx], rax);
            a.mov(rax, __qword_ptr[r15 + 3 * 256 + 16]);
            a.mov(rdx, results.Counter(PayloadInCode));
            a.mov(__qword_ptr[rdx], rax);

            // Back in RAM.
            SetPage(a, Synic.SimpMsr, guest.Synic.SimPages);
            HostileGuests.PostExpectingSuccess(guest, postInput, 10, Payload);
            HostileGuests.WaitFor(a, sint3Count, 2);
            HostileGuests.Copy(a, sint2Count, results.Counter(Sint2Interrupts));
            HostileGuests.Copy(a, sint3Count, results.Counter(Sint3Interrupts));
            guest.Pass();
        });
        guest.Builder.Bind(ref victim);                      // never executed: 8 KiB of NOPs, so one whole page
        a.db(Enumerable.Repeat((byte)0x90, 8192).ToArray());
        return guest.Build();
    }

    private static void SetPage(Assembler a, uint msr, ulong page) => Msr.EmitWrite(a, msr, page | 1);
}

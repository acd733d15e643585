using HvBench.Guest.Runtime;
using HvBench.Hyperv;
using HvBench.Vmm.Tests.Machines;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Vmm.Tests.Hyperv;

/// <summary>HvPostMessage from guest code in the <c>rax</c> convention (RAX = call code, RBX = input GPA): VP0 posts one
/// message to VP1's SINT3 and finds it in VP1's SIM slot once VP1's handler has run.</summary>
[TestFixture, Category("Kvm")]
public sealed class PostMessageInTheRaxConvention
{
    private const uint ConnectionId = 8;
    private const int MessageType = 0x42;
    private const ulong Payload = 0x0123_4567_89AB_CDEF;

    [Test, CancelAfter(60_000)]
    public void PutsTheMessageInTheTargetVpsSimSlot(CancellationToken token)
    {
        RunResult result = GuestRun.Boot(Build(), vcpus: 2, timeoutSeconds: 30, token: token, convention: HypercallConvention.Rax,
            setup: machine =>
            {
                machine.Hyperv.AddMessagePort(2, targetVp: 1, targetSint: 3);
                machine.Hyperv.AddConnection(ConnectionId, machine.Hyperv, 2);
            });
        Assert.That(result.Verdict, Is.EqualTo("PASS"), result.ConsoleText);
        Assert.That(result.Statistics.HypercallsByStatus["HV_STATUS_SUCCESS"], Is.EqualTo(1));
        Assert.That(result.Statistics.SintsAsserted, Is.EqualTo(1));
    }

    private static byte[] Build()
    {
        var guest = new HypervGuest(maxVps: 2);
        var a = guest.Asm;
        ulong ready = guest.Flag("vp1_ready");
        ulong delivered = guest.Flag("sint3_deliveries");
        ulong input = guest.Builder.Allocate("post_input", 256, 256);
        ulong slot = guest.Synic.SimSlot(vp: 1, sint: 3);
        guest.OnInterrupt(0x52, "sint3_handler", () => guest.Increment(delivered)); // the slot stays full for VP0 to read
        guest.OnVp(1, () =>
        {
            guest.Synic.EmitEnable(guest.VpIndex);
            guest.Synic.EmitSetSint(3, vector: 0x52);
            guest.SetFlag(ready);
        });
        guest.OnVp(0, () =>
        {
            guest.Synic.EmitEnableHypercallPage();
            guest.WaitFlag(ready);
            guest.Hypercalls.EmitMessageInput(input, ConnectionId, MessageType, Payload);
            guest.Hypercalls.EmitPostMessage(Convention.Rax, input);
            guest.Checks.IsZero(guest.HypercallStatus, "HvPostMessage in the rax convention did not return HV_STATUS_SUCCESS");
            guest.WaitFlag(delivered);
            a.mov(rbx, slot);
            a.cmp(__dword_ptr[rbx], MessageType);
            a.jne(guest.Checks.Failure("VP1's SIM slot of SINT3 does not hold the posted message type"));
            a.cmp(__byte_ptr[rbx + 4], 8);
            a.jne(guest.Checks.Failure("VP1's SIM slot of SINT3 does not hold payload size 8"));
            a.mov(rax, Payload);
            a.cmp(__qword_ptr[rbx + 16], rax);
            a.jne(guest.Checks.Failure("VP1's SIM slot of SINT3 does not hold the posted payload"));
            guest.Pass();
        });
        return guest.Build();
    }
}

using HvBench.Guest.Images;
using HvBench.Guest.Runtime;
using HvBench.Vmm.Tests.Machines;

namespace HvBench.Vmm.Tests.Hyperv;

/// <summary>A real guest on a partition with the kvm-compat status profile gets KVM's and QEMU's HvSignalEvent answers
/// (tlfs.md sections 3.2 and 3.3) where the TLFS profile differs.</summary>
[TestFixture, Category("Kvm")]
public sealed class KvmCompatStatusesFromGuestCode
{
    private const ulong SignalFast = 0x1005D, SignalSlow = 0x5D;
    private const ushort Success = 0x0, InvalidHypercallInput = 0x3, InvalidPortId = 0x11, InvalidConnectionId = 0x12;

    [Test]
    [CancelAfter(60_000)]
    public void AnswerAsKvmWithQemu(CancellationToken token)
    {
        RunResult result = GuestRun.Boot(BuildGuest(), token: token, setup: GuestRun.StatusScenario, statusProfile: StatusProfile.KvmCompat);
        Assert.Multiple(() =>
        {
            Assert.That(result.Verdict, Is.EqualTo("PASS"), result.ConsoleText);
            Assert.That(result.Statistics.FlagsDroppedOutsideRam, Is.EqualTo(3), "the signals to port 77, the message port and VP5");
        });
    }

    private static byte[] BuildGuest() => StatusCodesGuest.Build(Convention.Tlfs, slowInput =>
        [
            new("connection 7 flag 0", SignalFast, 7, 0, Success),
            new("connection 7 flag 1", SignalFast, 7 | 1UL << 32, 0, InvalidPortId),
            new("unknown connection 99 with flag 1", SignalFast, 99 | 1UL << 32, 0, InvalidPortId),
            new("reserved bits 48..63", SignalFast, 7 | 1UL << 48, 0, InvalidHypercallInput),
            new("unknown connection 99", SignalFast, 99, 0, InvalidConnectionId),
            new("connection to a message port", SignalFast, 8, 0, Success),
            new("connection to a missing port", SignalFast, 9, 0, Success),
            new("port on a VP that does not exist", SignalFast, 10, 0, Success),
            new("port on a masked SINT", SignalFast, 11, 0, Success),
            new("slow, output GPA not looked at", SignalSlow, slowInput, 0xDEAD_BEEF_0001, Success),
        ],
        slowInputBlock: 7, "kvm-compat cases",
        // KVM sets the flag of a masked SINT and only drops the interrupt.
        guest => guest.Checks.BitIsSet(guest.Synic.SiefSlot(vp: 0, sint: 3), bit: 0, "flag 0 of the masked SINT3 is not set"));
}

using HvBench.Guest.Runtime;
using HvBench.Hyperv;
using HvBench.Vmm.Tests.Guest;
using HvBench.Vmm.Tests.Machines;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Vmm.Tests.Hyperv;

/// <summary>A VMCALL is a hypercall only once the guest has written a non-zero guest OS id (KVM's rule,
/// <c>kvm_hv_hypercall_enabled</c>; the TLFS asks for the id first and says nothing of a call made without it). VP0
/// makes a fast HvSignalEvent through a direct VMCALL site at CPL 0 in 64-bit mode, legal in every other respect.</summary>
[TestFixture, Category("Kvm")]
public sealed class AVmcallBeforeTheGuestOsId
{
    [Test, CancelAfter(30_000)]
    public void IsAnInvalidOpcodeInTheGuest(CancellationToken token)
    {
        byte[] image = Build(identify: false);
        RunResult result = GuestRun.Boot(image, vcpus: 1, token: token);
        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.GuestFault), result.Verdict);
        Assert.That(result.Fault, Is.Not.Null, result.Verdict);
        Assert.That(result.Fault!.Vector, Is.EqualTo(6UL), result.Reason);
        Assert.That(result.Fault.Registers.Rip, Is.EqualTo(FaultReports.AddressOf(image, "hv_direct_vmcall")), "the #UD points at the VMCALL");
        Assert.That(result.Reason, Does.Contain("#UD").And.Contain("vmcall"));
        Assert.That(result.Statistics.Hypercalls, Is.Zero, "the model never saw a call");
    }

    [Test, CancelAfter(30_000)]
    public void IsAHypercallOnceTheGuestHasIdentifiedItself(CancellationToken token)
    {
        RunResult result = GuestRun.Boot(Build(identify: true), vcpus: 1, token: token);
        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Pass), result.Verdict);
        Assert.That(result.Statistics.Hypercalls, Is.EqualTo(1));
    }

    private static byte[] Build(bool identify)
    {
        var guest = new HypervGuest(maxVps: 1);
        var a = guest.Asm;
        guest.OnVp(0, () =>
        {
            if (identify) Msr.EmitWrite(a, Synic.GuestOsIdMsr, Synic.GuestOsId);
            // Connection 1 exists in no scenario: the call returns HV_STATUS_INVALID_CONNECTION_ID, which is enough to
            // tell a hypercall from a #UD.
            guest.Hypercalls.EmitSignalEvent(Convention.Tlfs, connectionId: 1, flagNumber: 0, HypercallRoute.DirectVmcall);
            a.movzx(rax, guest.HypercallStatus);
            guest.Checks.AreEqual(rax, (int)HvStatus.InvalidConnectionId.Value, "HvSignalEvent to an unknown connection");
            guest.Pass();
        });
        return guest.Build();
    }
}

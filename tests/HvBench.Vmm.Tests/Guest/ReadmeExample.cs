// README.md, "Writing a test guest", shows the lines between the markers; TheReadmeExample keeps the two identical.
// README-EXAMPLE-BEGIN
using HvBench.Guest.Runtime;

namespace HvBench.Vmm.Tests.Guest;

public static class ReadmeExample // VP1 sets up its SynIC; VP0 signals it and checks the flag in VP1's SIEF page
{
    public static byte[] Build()
    {
        var guest = new HypervGuest(maxVps: 2);              // own GDT and IDT (faults reported), LAPIC, console, checks
        ulong ready = guest.Flag("vp1_ready");
        guest.OnInterrupt(0x50, "sint2_handler", () => { });  // SINT2's vector: EOI and return
        guest.OnVp(1, () =>
        {
            guest.Synic.EmitEnable(guest.VpIndex);           // SIEFP, SIMP and SCONTROL of this VP
            guest.Synic.EmitSetSint(2, vector: 0x50);
            guest.SetFlag(ready);
        });                                                   // then VP1 idles with interrupts on
        guest.OnVp(0, () =>
        {
            guest.Synic.EmitEnableHypercallPage();           // guest OS id, then the hypercall page
            guest.WaitFlag(ready);
            guest.Hypercalls.EmitSignalEvent(Convention.Tlfs, connectionId: 7, flagNumber: 0);
            guest.Checks.IsZero(guest.HypercallStatus, "HvSignalEvent did not return HV_STATUS_SUCCESS");
            guest.Checks.BitIsSet(guest.Synic.SiefSlot(vp: 1, sint: 2), bit: 0, "flag 0 is not set in VP1's SIEF slot of SINT2");
            guest.Pass();
        });
        return guest.Build();
    }
}
// README-EXAMPLE-END

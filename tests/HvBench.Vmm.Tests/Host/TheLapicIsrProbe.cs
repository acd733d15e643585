using HvBench.Kvm;
using HvBench.Kvm.Interop;
using HvBench.Tests;
using HvBench.Vmm.Host;

namespace HvBench.Vmm.Tests.Host;

/// <summary>The pure parts of the LAPIC probe: reading a vector's ISR bit from a <c>kvm_lapic_state</c> page
/// (<see cref="LapicRegisterPage"/>, which auto-EOI uses too), and the IDT gate it installs for the vector.</summary>
[TestFixture, Category("Unit")]
public sealed class TheLapicIsrProbesDecoding
{
    [TestCase(0x40, 0x120, 0x01)]  // ISR register 2 (vectors 0x40..0x5F), bit 0
    [TestCase(0x47, 0x120, 0x80)]
    [TestCase(0x5F, 0x123, 0x80)]  // the last vector of that register: byte 3, bit 7
    [TestCase(0xFF, 0x173, 0x80)]  // ISR register 7, the last
    [TestCase(0x00, 0x100, 0x01)]
    public void ReadsTheVectorsBitAtIsrPlus16BytesPer32Vectors(int vector, int offset, int mask)
    {
        byte[] page = new byte[1024];
        page[offset] = (byte)mask;
        Assert.That(LapicRegisterPage.IsSet(page, LapicRegisterPage.Isr, vector), Is.True);
        page[offset] = 0;
        Assert.That(LapicRegisterPage.IsSet(page, LapicRegisterPage.Isr, vector), Is.False);
    }

    [Test]
    public void IgnoresTheSameBitInIrrAndTheNeighbouringVectors()
    {
        byte[] page = new byte[1024];
        page[0x220] = 0x01;                    // IRR bit of 0x40: requested, not in service
        page[0x120] = 0xFE;                    // ISR bits of 0x41..0x47
        page[0x11C] = 0xFF;                    // padding after ISR register 1: not a register
        Assert.That(LapicRegisterPage.IsSet(page, LapicRegisterPage.Isr, LapicIsrProbe.Vector), Is.False);
    }

    [Test]
    public void InstallsAPresentDpl0InterruptGateToTheHandler()
    {
        byte[] gate = LapicIsrProbe.InterruptGate(0x1234_5678_9ABC_DEF0, 0x08);
        Assert.That(gate, Is.EqualTo(new byte[] { 0xF0, 0xDE, 0x08, 0x00, 0x00, 0x8E, 0xBC, 0x9A, 0x78, 0x56, 0x34, 0x12, 0, 0, 0, 0 }));
    }
}

/// <summary>The probe's reading on a real in-kernel LAPIC agrees with what KVM keeps: an ISR bit written with
/// KVM_SET_LAPIC (as <c>AutoEoiOnAnInKernelLapic</c> relies on) is read back as set, so a "false" from
/// the probe is the LAPIC's delivery, not an unreadable ISR.</summary>
[TestFixture, Category("Kvm")]
public sealed class TheLapicIsrProbeOnThisHost
{
    [Test]
    public void ReadsAnIsrBitThatKvmKeepsThroughSetLapic()
    {
        KvmRequirement.Require();
        using var kvm = KvmSystem.Open();
        using var vm = kvm.CreateVm();
        vm.CreateSplitIrqchip(ioapicPins: 0);
        using var vcpu = vm.CreateVcpu(0);
        vcpu.GetLapic(out KvmLapicState lapic);
        Span<byte> page = LapicRegisterPage.Of(ref lapic);
        Assert.That(LapicRegisterPage.IsSet(page, LapicRegisterPage.Isr, LapicIsrProbe.Vector), Is.False, "a fresh LAPIC has nothing in service");
        page[0xF0 + 1] |= 1;                       // SVR bit 8: software-enabled
        LapicRegisterPage.Set(page, LapicRegisterPage.Isr, LapicIsrProbe.Vector);
        vcpu.SetLapic(lapic);
        vcpu.GetLapic(out lapic);
        Assert.That(LapicRegisterPage.IsSet(LapicRegisterPage.Of(ref lapic), LapicRegisterPage.Isr, LapicIsrProbe.Vector), Is.True);
    }

    [Test, CancelAfter(30_000)]
    public void MeasuresAnAnswerThatFitsTheKindOfKvm(CancellationToken token)
    {
        KvmRequirement.Require();
        HostCapabilities host = HostCapabilities.Probe();
        Assert.That(host.LapicProbeProblem, Is.Null);
        Assert.That(host.LapicKeepsIsr, Is.Not.Null, "measured, not unknown");
        // host-kvm.md: kvm_pvm's LAPIC never keeps the bit; the architecture (VT-x/AMD-V) keeps it until EOI.
        if (host.KernelModule == "kvm_pvm") Assert.That(host.LapicKeepsIsr, Is.False);
        if (host.Virtualization != VirtualizationKind.Software) Assert.That(host.LapicKeepsIsr, Is.True);
    }
}

using HvBench.Kvm;
using HvBench.Kvm.Interop;
using HvBench.Tests;
using HvBench.Vmm.Hyperv;

namespace HvBench.Vmm.Tests.Hyperv;

/// <summary>The gate that keeps HvBench's MSIs out of a LAPIC rewrite (KVM_GET_LAPIC … KVM_SET_LAPIC, which would erase
/// an IRR bit set in between): two threads inject as fast as they can while a third rewrites.</summary>
[TestFixture, Category("Unit")]
public sealed class TheLapicWriteGate
{
    [Test, CancelAfter(60_000)]
    public void LetsNoInjectionIntoARewriteAndStarvesNeitherSide(CancellationToken token)
    {
        const int Rewrites = 5_000;
        var gate = new LapicWriteGate(vpCount: 2);
        int injecting = 0, overlaps = 0, rewritesDone = 0;
        long injections = 0;
        var injectors = Enumerable.Range(0, 2).Select(_ => new Thread(() =>
        {
            while (Volatile.Read(ref rewritesDone) < Rewrites && !token.IsCancellationRequested)
            {
                gate.EnterInjection(1);
                Interlocked.Increment(ref injecting);
                Thread.SpinWait(10);
                Interlocked.Decrement(ref injecting);
                gate.ExitInjection(1);
                Interlocked.Increment(ref injections);
                gate.EnterInjection(0); // another VP's gate is independent: never blocked by VP1's rewrites
                gate.ExitInjection(0);
            }
        })).ToList();
        injectors.ForEach(t => t.Start());
        for (int i = 0; i < Rewrites && !token.IsCancellationRequested; i++)
        {
            // Each rewrite waits for an injection since the last one, so the two sides interleave however the two
            // cores are shared; an injection side starved by the gate would hang here until CancelAfter fails the test.
            long seen = Interlocked.Read(ref injections);
            var spin = new SpinWait();
            while (Interlocked.Read(ref injections) == seen && !token.IsCancellationRequested) spin.SpinOnce();
            gate.EnterRewrite(1);
            if (Volatile.Read(ref injecting) != 0) overlaps++;
            Thread.SpinWait(20);
            if (Volatile.Read(ref injecting) != 0) overlaps++;
            gate.ExitRewrite(1);
            Interlocked.Increment(ref rewritesDone);
        }
        injectors.ForEach(t => t.Join());
        Assert.That(overlaps, Is.Zero, "an injection ran inside a rewrite");
        Assert.That(rewritesDone, Is.EqualTo(Rewrites));
        Assert.That(Interlocked.Read(ref injections), Is.GreaterThanOrEqualTo(Rewrites), "injections went on between rewrites");
    }
}

/// <summary>The LAPIC-page logic of the VMM's auto-EOI: accepted vectors lose their ISR bit, vectors still (or again)
/// waiting in IRR stay pending, others are dropped.</summary>
[TestFixture, Category("Unit")]
public sealed class AutoEoiOnTheLapicPage
{
    [Test]
    public void ClearsTheIsrBitOfAnAcceptedVectorOnly()
    {
        byte[] page = new byte[1024];
        LapicRegisterPage.Set(page, LapicRegisterPage.Isr, 0x50);   // 0x50 in service (accepted, auto-EOI)
        LapicRegisterPage.Set(page, LapicRegisterPage.Isr, 0x30);   // 0x30 in service but not auto-EOI: must stay
        ulong[] pending = new ulong[4];
        pending[0x50 >> 6] |= 1UL << (0x50 & 63);
        int cleared = AutoEoi.ClearAcceptedVectors(page, pending);
        Assert.That(cleared, Is.EqualTo(1));
        Assert.That(LapicRegisterPage.IsSet(page, LapicRegisterPage.Isr, 0x50), Is.False);
        Assert.That(LapicRegisterPage.IsSet(page, LapicRegisterPage.Isr, 0x30), Is.True);
        Assert.That(pending, Is.All.Zero);
    }

    [Test]
    public void KeepsAVectorStillWaitingInIrrPending()
    {
        byte[] page = new byte[1024];
        LapicRegisterPage.Set(page, LapicRegisterPage.Irr, 0xE1);
        ulong[] pending = new ulong[4];
        pending[0xE1 >> 6] |= 1UL << (0xE1 & 63);
        Assert.That(AutoEoi.ClearAcceptedVectors(page, pending), Is.Zero);
        Assert.That(pending[0xE1 >> 6], Is.EqualTo(1UL << (0xE1 & 63)));
    }

    [Test]
    public void ClearsTheIsrBitOfAVectorInServiceAndRequestedAgainAndKeepsItPending()
    {
        // A second injection of 0x50 came while its first was in service: once ISR is clear the LAPIC takes the IRR
        // copy and sets ISR again, and that bit must be cleared too, or 0x50's priority class stays blocked.
        byte[] page = new byte[1024];
        LapicRegisterPage.Set(page, LapicRegisterPage.Isr, 0x50);
        LapicRegisterPage.Set(page, LapicRegisterPage.Irr, 0x50);
        ulong[] pending = new ulong[4];
        pending[0x50 >> 6] |= 1UL << (0x50 & 63);
        Assert.That(AutoEoi.ClearAcceptedVectors(page, pending), Is.EqualTo(1));
        Assert.That(LapicRegisterPage.IsSet(page, LapicRegisterPage.Isr, 0x50), Is.False);
        Assert.That(LapicRegisterPage.IsSet(page, LapicRegisterPage.Irr, 0x50), Is.True, "the request is the LAPIC's to deliver");
        Assert.That(pending[0x50 >> 6], Is.EqualTo(1UL << (0x50 & 63)), "still pending for the ISR bit its delivery will set");

        // Delivered: IRR → ISR. The next service clears it and forgets the vector.
        LapicRegisterPage.Clear(page, LapicRegisterPage.Irr, 0x50);
        LapicRegisterPage.Set(page, LapicRegisterPage.Isr, 0x50);
        Assert.That(AutoEoi.ClearAcceptedVectors(page, pending), Is.EqualTo(1));
        Assert.That(LapicRegisterPage.IsSet(page, LapicRegisterPage.Isr, 0x50), Is.False);
        Assert.That(pending, Is.All.Zero);
    }

    [Test]
    public void DropsAVectorNeitherInServiceNorRequested()
    {
        byte[] page = new byte[1024];
        ulong[] pending = [0, 1UL << 16, 0, 0];
        Assert.That(AutoEoi.ClearAcceptedVectors(page, pending), Is.Zero);
        Assert.That(pending, Is.All.Zero);
    }
}

/// <summary>The same mechanism on a real in-kernel LAPIC: an ISR bit HvBench finds set for an auto-EOI vector is gone
/// after <see cref="AutoEoi.Service"/> (KVM_GET_LAPIC / KVM_SET_LAPIC), so the VMM's part is right on hosts whose
/// LAPIC keeps ISR set (VT-x, AMD-V) even though this host's never does (host-kvm.md).</summary>
[TestFixture, Category("Kvm")]
public sealed class AutoEoiOnAnInKernelLapic
{
    private const byte Vector = 0x50;

    [Test]
    public void ClearsTheIsrBitThroughSetLapic()
    {
        KvmRequirement.Require();
        using var kvm = KvmSystem.Open();
        using var vm = kvm.CreateVm();
        vm.CreateSplitIrqchip(ioapicPins: 0);
        using var vcpu = vm.CreateVcpu(0);
        vcpu.GetLapic(out KvmLapicState lapic);
        Span<byte> page = LapicRegisterPage.Of(ref lapic);
        page[0xF0 + 1] |= 1;                       // SVR bit 8: software-enabled
        LapicRegisterPage.Set(page, LapicRegisterPage.Isr, Vector);
        vcpu.SetLapic(lapic);
        vcpu.GetLapic(out lapic);
        Assume.That(LapicRegisterPage.IsSet(LapicRegisterPage.Of(ref lapic), LapicRegisterPage.Isr, Vector), Is.True, "this host's KVM keeps an ISR bit set through KVM_SET_LAPIC");

        var autoEoi = new AutoEoi(1, _ => { });
        autoEoi.Injected(0, Vector);
        autoEoi.Service(0, vcpu);

        vcpu.GetLapic(out lapic);
        Assert.That(LapicRegisterPage.IsSet(LapicRegisterPage.Of(ref lapic), LapicRegisterPage.Isr, Vector), Is.False, "ISR bit of vector 0x50");
        Assert.That(autoEoi.ClearedIsrBits, Is.EqualTo(1));
        Assert.That(autoEoi.HasPending(0), Is.False);
    }

    [Test]
    public void LeavesTheRestOfTheLapicAsItWasAndForgetsAVectorNeitherInServiceNorRequested()
    {
        KvmRequirement.Require();
        using var kvm = KvmSystem.Open();
        using var vm = kvm.CreateVm();
        vm.CreateSplitIrqchip(ioapicPins: 0);
        using var vcpu = vm.CreateVcpu(0);
        vcpu.GetLapic(out KvmLapicState lapic);
        Span<byte> page = LapicRegisterPage.Of(ref lapic);
        page[0xF0] = 0xFF;                         // SVR: spurious vector 0xFF
        page[0xF0 + 1] |= 1;                       // SVR bit 8: software-enabled
        page[0x80] = 0x20;                         // TPR
        vcpu.SetLapic(lapic);
        vcpu.GetLapic(out lapic);
        byte[] before = LapicRegisterPage.Of(ref lapic).ToArray();

        var autoEoi = new AutoEoi(1, _ => { });
        autoEoi.Injected(0, 0x50);
        autoEoi.Service(0, vcpu);

        vcpu.GetLapic(out lapic);
        Assert.That(LapicRegisterPage.Of(ref lapic).ToArray(), Is.EqualTo(before), "no ISR bit to clear: KVM_SET_LAPIC not needed, nothing changed");
        Assert.That(autoEoi.HasPending(0), Is.False);
        Assert.That(autoEoi.ClearedIsrBits, Is.Zero);
    }
}

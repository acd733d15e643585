namespace HvBench.Experiments.UserSpaceLapic;

/// <summary>How VP0's doorbell becomes an interrupt at VP1 in the user-space LAPIC experiment.</summary>
public enum SignalPath
{
    /// <summary>A: in-kernel LAPIC (KVM_CREATE_IRQCHIP), KVM_SIGNAL_MSI from VP0's thread; VP1 halts and EOIs in KVM.</summary>
    InKernel,

    /// <summary>A with HvBench's auto-EOI work added: after the MSI, kick VP1 and, on its thread, KVM_GET_LAPIC, plus
    /// KVM_SET_LAPIC when the vector's ISR bit is set (what HvBench does for an auto-EOI SINT).</summary>
    InKernelIsrClear,

    /// <summary>A with the ISR route's full price, as on a host whose LAPIC keeps ISR set (VT-x, AMD-V): KVM_SET_LAPIC
    /// after every KVM_GET_LAPIC, whether or not this host left the ISR bit set (writing the page back unchanged is
    /// harmless under the same gate that keeps the MSI out).</summary>
    InKernelIsrRewrite,

    /// <summary>B: no in-kernel irqchip; the VMM owns IRR and ISR, injects with KVM_INTERRUPT on VP1's thread, and
    /// answers the guest's LAPIC MMIO (SVR, EOI, ID); VP1's HLT exits to user space and its thread blocks.</summary>
    UserSpace,
}

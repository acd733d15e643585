using HvBench.Kvm;

namespace HvBench.Vmm.Host;

/// <summary>One <c>KVM_CHECK_EXTENSION</c> answer and what HvBench uses the capability for.</summary>
/// <param name="Cap">The capability.</param>
/// <param name="Name">Its kvm.h name, e.g. <c>KVM_CAP_SIGNAL_MSI</c>.</param>
/// <param name="Value">What KVM answered: 0 when absent, else 1 or a capability-specific value (a mask, a count).</param>
/// <param name="UsedFor">What HvBench does with it.</param>
/// <param name="Required">True when HvBench cannot run guests without it.</param>
public sealed record KvmCapabilityValue(KvmCap Cap, string Name, int Value, string UsedFor, bool Required)
{
    /// <summary>The capability number (<c>KVM_CAP_*</c>).</summary>
    public int Number => (int)Cap;
}

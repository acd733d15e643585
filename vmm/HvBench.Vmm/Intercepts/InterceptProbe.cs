using HvBench.Kvm;

namespace HvBench.Vmm.Intercepts;

/// <summary>Chooses the hypercall intercept from what the host's KVM offers, as cloud-hypervisor picks its backend.</summary>
public static class InterceptProbe
{
    /// <summary>KVM_XEN_HVM_CONFIG_INTERCEPT_HCALL in the value of KVM_CAP_XEN_HVM.</summary>
    public const int XenInterceptHcallFlag = 1 << 1;

    /// <summary>Debug registers usable as execution breakpoints.</summary>
    public const int BreakpointSlots = 4;

    /// <summary>The strategy for a host whose KVM_CAP_XEN_HVM is <paramref name="xenHvmCap"/> and KVM_CAP_SET_GUEST_DEBUG
    /// is <paramref name="guestDebugCap"/>, given the caller's <paramref name="preference"/>; throws when the
    /// preferred one is not offered.</summary>
    public static InterceptKind Choose(int xenHvmCap, int guestDebugCap, InterceptKind preference = InterceptKind.Auto)
    {
        bool xen = (xenHvmCap & XenInterceptHcallFlag) != 0;
        bool breakpoint = guestDebugCap != 0;
        return preference switch
        {
            InterceptKind.Xen when xen => InterceptKind.Xen,
            InterceptKind.Xen => throw new MachineException("intercept xen: this host's KVM does not offer KVM_XEN_HVM_CONFIG_INTERCEPT_HCALL (KVM_CAP_XEN_HVM)"),
            InterceptKind.Breakpoint when breakpoint => InterceptKind.Breakpoint,
            InterceptKind.Breakpoint => throw new MachineException("intercept breakpoint: this host's KVM does not offer KVM_CAP_SET_GUEST_DEBUG"),
            _ when xen => InterceptKind.Xen,
            _ when breakpoint => InterceptKind.Breakpoint,
            _ => throw new MachineException("no hypercall intercept: this host offers neither KVM_CAP_XEN_HVM's hypercall intercept nor KVM_CAP_SET_GUEST_DEBUG"),
        };
    }

    /// <summary>The strategy for this host.</summary>
    public static InterceptKind Choose(KvmSystem kvm, InterceptKind preference = InterceptKind.Auto) =>
        Choose(kvm.CheckExtension(KvmCap.XenHvm), kvm.CheckExtension(KvmCap.SetGuestDebug), preference);

    /// <summary>How many direct VMCALL sites in an image a strategy reaches (the hypercall page needs one breakpoint of its own).</summary>
    public static int DirectSiteLimit(InterceptKind kind) => kind == InterceptKind.Xen ? int.MaxValue : BreakpointSlots;
}

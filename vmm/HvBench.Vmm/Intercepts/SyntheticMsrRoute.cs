using HvBench.Kvm;

namespace HvBench.Vmm.Intercepts;

/// <summary>How the guest's synthetic MSR accesses (0x40000000..0x400000FF) leave KVM for the Hyper-V model.</summary>
public enum SyntheticMsrRoute
{
    /// <summary>Pick by probing (<see cref="SyntheticMsrRouteProbe.Choose(KvmSystem, SyntheticMsrRoute)"/>).</summary>
    Auto,
    /// <summary>KVM does not know these MSRs, so its unknown-MSR exit (KVM_MSR_EXIT_REASON_UNKNOWN) brings them here.</summary>
    UnknownMsrExit,
    /// <summary>An MSR filter denies the range to KVM (KVM_X86_SET_MSR_FILTER, KVM_MSR_EXIT_REASON_FILTER).</summary>
    Filter,
}

/// <summary>Chooses the <see cref="SyntheticMsrRoute"/> for a host.</summary>
public static class SyntheticMsrRouteProbe
{
    /// <summary>The route for a KVM whose KVM_CAP_HYPERV is <paramref name="hypervCap"/> and whose <c>ignore_msrs</c>
    /// parameter is <paramref name="ignoresUnknownMsrs"/>. A KVM with Hyper-V emulation of its own answers these MSRs
    /// itself and one that ignores unknown MSRs swallows them, so both need the filter; any other KVM reports them as
    /// unknown. The filter is avoided where it is not needed because setting it waits for an SRCU grace period
    /// (11–15 ms on our hosts, most of a short run's start-up).</summary>
    public static SyntheticMsrRoute Choose(int hypervCap, bool ignoresUnknownMsrs, SyntheticMsrRoute preference = SyntheticMsrRoute.Auto)
    {
        bool unknownExitReaches = hypervCap == 0 && !ignoresUnknownMsrs;
        return preference switch
        {
            SyntheticMsrRoute.Filter => SyntheticMsrRoute.Filter,
            SyntheticMsrRoute.UnknownMsrExit when unknownExitReaches => SyntheticMsrRoute.UnknownMsrExit,
            SyntheticMsrRoute.UnknownMsrExit => throw new MachineException(
                "synthetic MSR route unknown-msr-exit: this host's KVM " +
                (hypervCap != 0 ? "emulates Hyper-V MSRs itself (KVM_CAP_HYPERV)" : "ignores unknown MSRs (kvm.ignore_msrs=Y)")),
            _ => unknownExitReaches ? SyntheticMsrRoute.UnknownMsrExit : SyntheticMsrRoute.Filter,
        };
    }

    /// <summary>The route for this host.</summary>
    public static SyntheticMsrRoute Choose(KvmSystem kvm, SyntheticMsrRoute preference = SyntheticMsrRoute.Auto) =>
        Choose(kvm.CheckExtension(KvmCap.Hyperv), kvm.IgnoresUnknownMsrs, preference);
}

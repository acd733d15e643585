namespace HvBench.Vmm.Intercepts;

/// <summary>How the VMM sees a guest's VMCALL (design.md "Hypercall path").</summary>
public enum InterceptKind
{
    /// <summary>Pick by probing: <see cref="Xen"/> where the host offers it, else <see cref="Breakpoint"/>.</summary>
    Auto,
    /// <summary><c>KVM_XEN_HVM_CONFIG_INTERCEPT_HCALL</c>: every VMCALL exits as KVM_EXIT_XEN, wherever it is.</summary>
    Xen,
    /// <summary>Hardware execution breakpoints (DR0..DR3) on up to four known VMCALL sites, on every VP.</summary>
    Breakpoint,
}

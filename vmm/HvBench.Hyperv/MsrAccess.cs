namespace HvBench.Hyperv;

/// <summary>Result of a synthetic MSR access: the VMM completes the access or injects #GP (for example
/// <c>kvm_run.msr.error = 1</c> for <c>KVM_EXIT_X86_RDMSR</c>/<c>KVM_EXIT_X86_WRMSR</c>).</summary>
public enum MsrAccess
{
    /// <summary>The access completed.</summary>
    Ok,

    /// <summary>The access faults: inject #GP(0) into the guest.</summary>
    GeneralProtection,
}

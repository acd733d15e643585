namespace HvBench.Vmm.Host;

/// <summary>What KVM runs on: the CPU's virtualization extensions, or none (a software KVM such as <c>kvm_pvm</c>).</summary>
public enum VirtualizationKind
{
    /// <summary>Neither <c>vmx</c> nor <c>svm</c> in the CPU flags: a software KVM (on our machines, <c>kvm_pvm</c>).</summary>
    Software,
    /// <summary>Intel VT-x (<c>vmx</c>).</summary>
    VtX,
    /// <summary>AMD-V (<c>svm</c>).</summary>
    AmdV,
}

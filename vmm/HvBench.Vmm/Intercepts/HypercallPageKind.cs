namespace HvBench.Vmm.Intercepts;

/// <summary>What the VMM writes into the hypercall page when the guest enables it. The page's contents are the
/// hypervisor's to choose (TLFS "Hypercall Page"): guests only <c>call</c> it.</summary>
public enum HypercallPageKind
{
    /// <summary><c>vmcall; ret</c>, as KVM writes on Intel: the call reaches the VMM through the intercept (on hosts
    /// like ours, a hardware breakpoint on the page, which takes one of the four debug registers).</summary>
    Vmcall,

    /// <summary><c>out 0xE8, al; ret</c> (<see cref="IoHypercallPage"/>): the call is a port-I/O exit to HvBench's
    /// private hypercall port. Needs no debug register, so all four stay free for direct VMCALL sites.</summary>
    Io,
}

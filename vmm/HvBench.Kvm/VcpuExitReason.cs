namespace HvBench.Kvm;

/// <summary>Why KVM_RUN returned: the <c>KVM_EXIT_*</c> values, plus <see cref="Interrupted"/> for EINTR.</summary>
public enum VcpuExitReason : uint
{
    /// <summary>KVM_EXIT_UNKNOWN.</summary>
    Unknown = 0,
    /// <summary>KVM_EXIT_EXCEPTION.</summary>
    Exception = 1,
    /// <summary>KVM_EXIT_IO: port I/O.</summary>
    Io = 2,
    /// <summary>KVM_EXIT_HYPERCALL.</summary>
    Hypercall = 3,
    /// <summary>KVM_EXIT_DEBUG: a guest debug event (hardware breakpoint).</summary>
    Debug = 4,
    /// <summary>KVM_EXIT_HLT (only without an in-kernel LAPIC).</summary>
    Hlt = 5,
    /// <summary>KVM_EXIT_MMIO.</summary>
    Mmio = 6,
    /// <summary>KVM_EXIT_IRQ_WINDOW_OPEN.</summary>
    IrqWindowOpen = 7,
    /// <summary>KVM_EXIT_SHUTDOWN: triple fault.</summary>
    Shutdown = 8,
    /// <summary>KVM_EXIT_FAIL_ENTRY.</summary>
    FailEntry = 9,
    /// <summary>KVM_EXIT_INTR (KVM's own value; HvBench reports EINTR as <see cref="Interrupted"/>).</summary>
    Intr = 10,
    /// <summary>KVM_EXIT_INTERNAL_ERROR, e.g. an instruction the emulator cannot run.</summary>
    InternalError = 17,
    /// <summary>KVM_EXIT_SYSTEM_EVENT.</summary>
    SystemEvent = 24,
    /// <summary>KVM_EXIT_X86_RDMSR: a filtered MSR read for user space to complete.</summary>
    X86Rdmsr = 29,
    /// <summary>KVM_EXIT_X86_WRMSR: a filtered MSR write for user space to complete.</summary>
    X86Wrmsr = 30,
    /// <summary>KVM_EXIT_XEN: a Xen hypercall (VMCALL with the Xen intercept).</summary>
    Xen = 34,
    /// <summary>KVM_RUN returned EINTR or EAGAIN: a signal or a kick; not an error.</summary>
    Interrupted = 0x1000,
}

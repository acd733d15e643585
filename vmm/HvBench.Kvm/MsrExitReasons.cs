namespace HvBench.Kvm;

/// <summary>Why KVM sends an MSR access to user space (<c>KVM_MSR_EXIT_REASON_*</c>, linux/kvm.h).</summary>
[Flags]
public enum MsrExitReasons : ulong
{
    /// <summary>An access KVM would answer with #GP.</summary>
    Invalid = 1 << 0,

    /// <summary>An MSR KVM does not implement.</summary>
    Unknown = 1 << 1,

    /// <summary>An MSR the VM's MSR filter denies to the kernel.</summary>
    Filter = 1 << 2,
}

namespace HvBench.Kvm.Interop;

/// <summary>Where things sit in <c>struct kvm_run</c> beyond its fixed head (<see cref="KvmRunHeader"/>): the exit
/// union and the sync_regs area. One place for the numbers, which the ABI tests compare with linux/kvm.h.</summary>
public static class KvmRunLayout
{
    /// <summary>The exit union (<c>io</c>, <c>mmio</c>, <c>msr</c>, <c>debug</c>, …), right after the 32-byte head.</summary>
    public const int ExitUnion = 32;

    /// <summary><c>kvm_valid_regs</c>: which register sets KVM fills into <c>s.regs</c> at exit.</summary>
    public const int ValidRegs = 288;

    /// <summary><c>kvm_dirty_regs</c>: which register sets KVM loads from <c>s.regs</c> at entry.</summary>
    public const int DirtyRegs = 296;

    /// <summary><c>s.regs</c>, <c>struct kvm_sync_regs</c>: <c>kvm_regs</c>, then <c>kvm_sregs</c>, then <c>kvm_vcpu_events</c>.</summary>
    public const int SyncRegs = 304;
}

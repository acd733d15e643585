namespace HvBench.Hyperv;

/// <summary><c>HV_PARTITION_PRIVILEGE_MASK</c>: CPUID 0x40000003 EAX in bits 31:0 and EBX in bits 63:32 (tlfs.md section 7).</summary>
/// <remarks>HvBench consults only the hypercall half (EBX): <see cref="SignalEvents"/> and <see cref="PostMessages"/>,
/// and CPUID reports only those two of it. The MSR half is always what the model implements (see
/// <see cref="Partition.CpuidLeaves"/>).</remarks>
[Flags]
public enum PartitionPrivileges : ulong
{
    /// <summary>No privileges.</summary>
    None = 0,

    /// <summary>EAX bit 0: <c>HV_X64_MSR_VP_RUNTIME</c>.</summary>
    AccessVpRunTimeReg = 1UL << 0,

    /// <summary>EAX bit 1: <c>HV_X64_MSR_TIME_REF_COUNT</c>.</summary>
    AccessPartitionReferenceCounter = 1UL << 1,

    /// <summary>EAX bit 2: SynIC MSRs.</summary>
    AccessSynicRegs = 1UL << 2,

    /// <summary>EAX bit 3: synthetic timer MSRs.</summary>
    AccessSyntheticTimerRegs = 1UL << 3,

    /// <summary>EAX bit 4: APIC MSRs (EOI, ICR, TPR).</summary>
    AccessIntrCtrlRegs = 1UL << 4,

    /// <summary>EAX bit 5: <c>HV_X64_MSR_GUEST_OS_ID</c> and <c>HV_X64_MSR_HYPERCALL</c>.</summary>
    AccessHypercallMsrs = 1UL << 5,

    /// <summary>EAX bit 6: <c>HV_X64_MSR_VP_INDEX</c>.</summary>
    AccessVpIndex = 1UL << 6,

    /// <summary>EAX bit 7: <c>HV_X64_MSR_RESET</c>.</summary>
    AccessResetReg = 1UL << 7,

    /// <summary>EAX bit 8: statistics pages.</summary>
    AccessStatsReg = 1UL << 8,

    /// <summary>EAX bit 9: reference TSC page.</summary>
    AccessPartitionReferenceTsc = 1UL << 9,

    /// <summary>EAX bit 10: guest idle MSR.</summary>
    AccessGuestIdleReg = 1UL << 10,

    /// <summary>EAX bit 11: TSC/APIC frequency MSRs.</summary>
    AccessFrequencyRegs = 1UL << 11,

    /// <summary>Bit 12: debug MSRs.</summary>
    AccessDebugRegs = 1UL << 12,

    /// <summary>EAX bit 13: reenlightenment controls.</summary>
    AccessReenlightenmentControls = 1UL << 13,

    /// <summary>EAX bit 15: TSC invariant controls.</summary>
    AccessTscInvariantControls = 1UL << 15,

    /// <summary>EBX bit 0: <c>CreatePartitions</c>.</summary>
    CreatePartitions = 1UL << 32,

    /// <summary>EBX bit 1: <c>AccessPartitionId</c>.</summary>
    AccessPartitionId = 1UL << 33,

    /// <summary>EBX bit 2: <c>AccessMemoryPool</c>.</summary>
    AccessMemoryPool = 1UL << 34,

    /// <summary>EBX bit 3: <c>AdjustMessageBuffers</c>.</summary>
    AdjustMessageBuffers = 1UL << 35,

    /// <summary>EBX bit 4: <c>PostMessages</c>, needed for <c>HvCallPostMessage</c>.</summary>
    PostMessages = 1UL << 36,

    /// <summary>EBX bit 5: <c>SignalEvents</c>, needed for <c>HvCallSignalEvent</c>.</summary>
    SignalEvents = 1UL << 37,

    /// <summary>EBX bit 6: <c>CreatePort</c>.</summary>
    CreatePort = 1UL << 38,

    /// <summary>EBX bit 7: <c>ConnectPort</c>.</summary>
    ConnectPort = 1UL << 39,

    /// <summary>EBX bit 8: <c>AccessStats</c>.</summary>
    AccessStats = 1UL << 40,

    /// <summary>EBX bit 11: <c>Debugging</c>.</summary>
    Debugging = 1UL << 43,

    /// <summary>EBX bit 12: <c>CpuManagement</c>.</summary>
    CpuManagement = 1UL << 44,

    /// <summary>Bit 48 of EBX: virtual secure mode.</summary>
    AccessVsm = 1UL << 48,

    /// <summary>Bit 49 of EBX: access to VP registers.</summary>
    AccessVpRegisters = 1UL << 49,

    /// <summary>EBX bit 20: <c>EnableExtendedHypercalls</c>.</summary>
    EnableExtendedHypercalls = 1UL << 52,

    /// <summary>Bit 53 of EBX: start virtual processors.</summary>
    StartVirtualProcessor = 1UL << 53,
}

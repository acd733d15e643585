namespace HvBench.Vmm.Configuration;

/// <summary>
/// The partition privilege flags, <c>HV_PARTITION_PRIVILEGE_MASK</c> (TLFS "Feature Discovery", tlfs.md section 7):
/// CPUID 0x40000003 EAX in bits 0..31 and EBX in bits 32..63. This enum is the one table of privilege names: a
/// scenario's <c>privileges</c> list uses exactly these member names (all except <see cref="None"/>).
/// </summary>
[Flags]
public enum PartitionPrivileges : ulong
{
    /// <summary>No privilege; not a name a scenario can list (write <c>[]</c> instead).</summary>
    None = 0,

    /// <summary>EAX bit 0: <c>HV_X64_MSR_VP_RUNTIME</c>.</summary>
    AccessVpRunTimeReg = 1UL << 0,

    /// <summary>EAX bit 1: <c>HV_X64_MSR_TIME_REF_COUNT</c>.</summary>
    AccessPartitionReferenceCounter = 1UL << 1,

    /// <summary>EAX bit 2: the SynIC MSRs (<c>SCONTROL</c> … <c>SINT15</c>).</summary>
    AccessSynicRegs = 1UL << 2,

    /// <summary>EAX bit 3: the synthetic timer MSRs.</summary>
    AccessSyntheticTimerRegs = 1UL << 3,

    /// <summary>EAX bit 4: the APIC access MSRs (EOI, ICR, TPR).</summary>
    AccessIntrCtrlRegs = 1UL << 4,

    /// <summary>EAX bit 5: <c>HV_X64_MSR_GUEST_OS_ID</c> and <c>HV_X64_MSR_HYPERCALL</c>.</summary>
    AccessHypercallMsrs = 1UL << 5,

    /// <summary>EAX bit 6: <c>HV_X64_MSR_VP_INDEX</c>.</summary>
    AccessVpIndex = 1UL << 6,

    /// <summary>EAX bit 7: <c>HV_X64_MSR_RESET</c>.</summary>
    AccessResetReg = 1UL << 7,

    /// <summary>EAX bit 8: the statistics MSRs.</summary>
    AccessStatsReg = 1UL << 8,

    /// <summary>EAX bit 9: <c>HV_X64_MSR_REFERENCE_TSC</c>.</summary>
    AccessPartitionReferenceTsc = 1UL << 9,

    /// <summary>EAX bit 10: <c>HV_X64_MSR_GUEST_IDLE</c>.</summary>
    AccessGuestIdleReg = 1UL << 10,

    /// <summary>EAX bit 11: the TSC and APIC frequency MSRs.</summary>
    AccessFrequencyRegs = 1UL << 11,

    /// <summary>EAX bit 12: the debug MSRs.</summary>
    AccessDebugRegs = 1UL << 12,

    /// <summary>EAX bit 13: the reenlightenment control MSRs.</summary>
    AccessReenlightenmentControls = 1UL << 13,

    /// <summary>EAX bit 15: the TSC invariant control MSR.</summary>
    AccessTscInvariantControls = 1UL << 15,

    /// <summary>EBX bit 0: HvCreatePartition.</summary>
    CreatePartitions = 1UL << 32,

    /// <summary>EBX bit 1: HvGetPartitionId.</summary>
    AccessPartitionId = 1UL << 33,

    /// <summary>EBX bit 2: the memory pool hypercalls.</summary>
    AccessMemoryPool = 1UL << 34,

    /// <summary>EBX bit 3: adjusting message buffers (reserved in current TLFS versions).</summary>
    AdjustMessageBuffers = 1UL << 35,

    /// <summary>EBX bit 4: HvPostMessage; without it the call returns <c>HV_STATUS_ACCESS_DENIED</c>.</summary>
    PostMessages = 1UL << 36,

    /// <summary>EBX bit 5: HvSignalEvent; without it the call returns <c>HV_STATUS_ACCESS_DENIED</c>.</summary>
    SignalEvents = 1UL << 37,

    /// <summary>EBX bit 6: HvCreatePort.</summary>
    CreatePort = 1UL << 38,

    /// <summary>EBX bit 7: HvConnectPort.</summary>
    ConnectPort = 1UL << 39,

    /// <summary>EBX bit 8: the statistics pages.</summary>
    AccessStats = 1UL << 40,

    /// <summary>EBX bit 11: the debugging hypercalls.</summary>
    Debugging = 1UL << 43,

    /// <summary>EBX bit 12: the CPU management hypercalls.</summary>
    CpuManagement = 1UL << 44,

    /// <summary>EBX bit 16: virtual secure mode.</summary>
    AccessVsm = 1UL << 48,

    /// <summary>EBX bit 17: HvGetVpRegisters and HvSetVpRegisters.</summary>
    AccessVpRegisters = 1UL << 49,

    /// <summary>EBX bit 20: the extended hypercalls (call codes 0x8001 and up).</summary>
    EnableExtendedHypercalls = 1UL << 52,

    /// <summary>EBX bit 21: HvStartVirtualProcessor.</summary>
    StartVirtualProcessor = 1UL << 53,
}

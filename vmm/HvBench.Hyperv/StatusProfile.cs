namespace HvBench.Hyperv;

/// <summary>Which statuses a partition's <c>HvCallSignalEvent</c> and <c>HvCallPostMessage</c> answer with (tlfs.md
/// section 9 item 2).</summary>
public enum StatusProfile
{
    /// <summary>The TLFS statuses in HvBench's check order (tlfs.md section 9 item 1): every failure the TLFS names is
    /// reported, including a disabled SynIC or a masked SINT at the target.</summary>
    Tlfs,

    /// <summary>What a guest sees on KVM with QEMU (tlfs.md sections 3.2, 3.3 and 4): <c>HvCallSignalEvent</c> takes
    /// only FlagNumber 0 (else <c>HV_STATUS_INVALID_PORT_ID</c>) and succeeds for any known connection, whatever
    /// happens at the target; <c>HvCallPostMessage</c> checks PayloadSize and the connection as QEMU does. Output GPAs
    /// are ignored.</summary>
    KvmCompat,
}

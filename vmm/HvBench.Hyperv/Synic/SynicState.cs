namespace HvBench.Hyperv;

/// <summary>One VP's synthetic interrupt controller registers (tlfs.md section 6), read-only for the VMM and tests.</summary>
/// <remarks>The registers are written by the owning VP's MSR writes and read by any VP that signals or posts to this
/// one, so every access is a single volatile 64-bit load or store. Reserved (RsvdP) bits are stored as written and read
/// back unchanged, as KVM does (<c>synic_set_msr</c> keeps the raw value); Hyper-V's own handling is not documented.</remarks>
public sealed class SynicState
{
    /// <summary>Number of SINTs per VP.</summary>
    public const int SintCount = 16;

    private readonly ulong[] _sints = new ulong[SintCount];
    private ulong _scontrol;
    private ulong _siefp;
    private ulong _simp;

    internal SynicState(Partition partition, int vpIndex)
    {
        VpIndex = vpIndex;
        _sints.AsSpan().Fill(SintRegister.ResetValue);
        Messages = new SynicMessageQueue(partition, this);
    }

    /// <summary>The VP this SynIC belongs to.</summary>
    public int VpIndex { get; }

    /// <summary><c>HV_X64_MSR_SCONTROL</c>; resets to 0 (disabled), as the TLFS says (KVM and OVMM default to 1).</summary>
    public SynicControlRegister Scontrol => new(Volatile.Read(ref _scontrol));

    /// <summary><c>HV_X64_MSR_SIEFP</c>: the event flags page.</summary>
    public SynicPageRegister Siefp => new(Volatile.Read(ref _siefp));

    /// <summary><c>HV_X64_MSR_SIMP</c>: the message page.</summary>
    public SynicPageRegister Simp => new(Volatile.Read(ref _simp));

    /// <summary><c>HV_X64_MSR_SINTn</c> for <paramref name="sint"/> in 0..15.</summary>
    public SintRegister Sint(int sint) => new(Volatile.Read(ref _sints[sint]));

    /// <summary>Messages waiting for SINT <paramref name="sint"/>'s SIM slot (a snapshot).</summary>
    public int QueuedMessageCount(int sint) => Messages.Count(sint);

    internal SynicMessageQueue Messages { get; }

    internal void SetScontrol(ulong value) => Volatile.Write(ref _scontrol, value);

    internal void SetSiefp(ulong value) => Volatile.Write(ref _siefp, value);

    internal void SetSimp(ulong value) => Volatile.Write(ref _simp, value);

    internal void SetSint(int sint, ulong value) => Volatile.Write(ref _sints[sint], value);
}

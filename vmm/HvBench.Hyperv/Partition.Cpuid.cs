namespace HvBench.Hyperv;

/// <summary>Hyper-V CPUID leaves 0x40000000..0x40000006 (tlfs.md section 7), truthful about what the model implements.</summary>
public sealed partial class Partition
{
    /// <summary>CPUID 0x40000003 EAX: the MSR groups the model implements: SynIC (bit 2), GUEST_OS_ID and HYPERCALL
    /// (bit 5), VP_INDEX (bit 6).</summary>
    public const PartitionPrivileges ImplementedMsrPrivileges =
        PartitionPrivileges.AccessSynicRegs | PartitionPrivileges.AccessHypercallMsrs | PartitionPrivileges.AccessVpIndex;

    /// <summary>CPUID 0x40000003 EBX: the hypercall privileges whose calls the model implements, PostMessages (bit 4) and
    /// SignalEvents (bit 5). Other granted privileges are not advertised: a guest must not be told it may make calls
    /// that would only answer INVALID_HYPERCALL_CODE.</summary>
    public const PartitionPrivileges ImplementedHypercallPrivileges = PartitionPrivileges.PostMessages | PartitionPrivileges.SignalEvents;

    private CpuidLeaf[] _cpuid;

    /// <summary>The leaves 0x40000000..0x40000006 the VMM gives the guest (for example through <c>KVM_SET_CPUID2</c>).</summary>
    public ReadOnlySpan<CpuidLeaf> CpuidLeaves => Volatile.Read(ref _cpuid);

    /// <summary>Finds leaf <paramref name="function"/> among <see cref="CpuidLeaves"/>.</summary>
    public bool TryGetCpuidLeaf(uint function, out CpuidLeaf leaf)
    {
        CpuidLeaf[] leaves = Volatile.Read(ref _cpuid);
        uint index = function - HvCpuid.VendorAndMaxLeaf;
        if (index < (uint)leaves.Length)
        {
            leaf = leaves[index];
            return true;
        }

        leaf = default;
        return false;
    }

    private static CpuidLeaf[] BuildCpuidLeaves(int vpCount, PartitionPrivileges privileges) =>
    [
        // Max leaf and vendor "Microsoft Hv" (guest-abi.md "Hyper-V interface").
        new(HvCpuid.VendorAndMaxLeaf, HvCpuid.HardwareFeatures, HvCpuid.VendorEbx, HvCpuid.VendorEcx, HvCpuid.VendorEdx),

        // "Hv#1": implies GUEST_OS_ID, HYPERCALL and VP_INDEX.
        new(HvCpuid.Interface, HvCpuid.InterfaceSignatureHv1, 0, 0, 0),

        // Informational identity: build 0, version 0.1 (HvBench's own), no service pack.
        new(HvCpuid.Version, 0, 0x0000_0001, 0, 0),

        // Privileges: EAX = the MSRs the model implements, EBX = the partition's privileges among the hypercalls it
        // implements; ECX none;
        // EDX = SINT polling (bit 17) and hypercall MSR lock (bit 18). No XMM input (bit 4), no direct timers.
        new(HvCpuid.Features,
            (uint)ImplementedMsrPrivileges,
            (uint)((ulong)(privileges & ImplementedHypercallPrivileges) >> 32),
            0,
            HvCpuid.FeatureSintPollingMode | HvCpuid.FeatureHypercallMsrLock),

        // No recommendations: in particular not "deprecate AutoEOI" (bit 9), since auto-EOI is offered. EBX = never
        // notify long spin waits (0xFFFFFFFF): HvCallNotifyLongSpinWait is not implemented.
        new(HvCpuid.Recommendations, 0, 0xFFFF_FFFF, 0, 0),

        // Limits: max VPs = this partition's VPs; logical processors and interrupt-remapping vectors not exposed.
        new(HvCpuid.Limits, (uint)vpCount, 0, 0, 0),

        // No hardware features in use are reported.
        new(HvCpuid.HardwareFeatures, 0, 0, 0, 0),
    ];
}

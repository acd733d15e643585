namespace HvBench.Hyperv;

/// <summary>Synthetic MSR numbers (tlfs.md sections 1.4 and 6; Linux <c>hvgdk_mini.h</c> <c>HV_X64_MSR_*</c>).</summary>
public static class HvMsr
{
    /// <summary>First MSR of the synthetic range that the VMM routes to the model.</summary>
    public const uint RangeFirst = 0x40000000;

    /// <summary>Last MSR of the synthetic range that the VMM routes to the model.</summary>
    public const uint RangeLast = 0x400000FF;

    /// <summary><c>HV_X64_MSR_GUEST_OS_ID</c>: partition-wide guest OS identity, reset 0.</summary>
    public const uint GuestOsId = 0x40000000;

    /// <summary><c>HV_X64_MSR_HYPERCALL</c>: hypercall page GPFN, Locked (bit 1) and Enable (bit 0).</summary>
    public const uint Hypercall = 0x40000001;

    /// <summary><c>HV_X64_MSR_VP_INDEX</c>: this VP's index, read-only for the guest.</summary>
    public const uint VpIndex = 0x40000002;

    /// <summary><c>HV_X64_MSR_RESET</c> (not implemented: #GP).</summary>
    public const uint Reset = 0x40000003;

    /// <summary><c>HV_X64_MSR_SCONTROL</c>: SynIC control, bit 0 Enable.</summary>
    public const uint Scontrol = 0x40000080;

    /// <summary><c>HV_X64_MSR_SVERSION</c>: SynIC version, reads 1, read-only.</summary>
    public const uint Sversion = 0x40000081;

    /// <summary><c>HV_X64_MSR_SIEFP</c>: SynIC event flags page.</summary>
    public const uint Siefp = 0x40000082;

    /// <summary><c>HV_X64_MSR_SIMP</c>: SynIC message page.</summary>
    public const uint Simp = 0x40000083;

    /// <summary><c>HV_X64_MSR_EOM</c>: end of message, write-only trigger, reads 0.</summary>
    public const uint Eom = 0x40000084;

    /// <summary><c>HV_X64_MSR_SIRBP</c> (not implemented: #GP).</summary>
    public const uint Sirbp = 0x40000085;

    /// <summary><c>HV_X64_MSR_SINT0</c>; SINTn is <c>Sint0 + n</c>.</summary>
    public const uint Sint0 = 0x40000090;

    /// <summary><c>HV_X64_MSR_SINT15</c>.</summary>
    public const uint Sint15 = 0x4000009F;

    /// <summary><c>HV_SYNIC_VERSION_1</c>, the value SVERSION reads.</summary>
    public const ulong SynicVersion1 = 1;

    /// <summary>True if <paramref name="msr"/> lies in the synthetic range 0x40000000..0x400000FF.</summary>
    public static bool IsSynthetic(uint msr) => msr - RangeFirst <= RangeLast - RangeFirst;
}

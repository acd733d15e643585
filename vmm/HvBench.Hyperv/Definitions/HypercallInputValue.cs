namespace HvBench.Hyperv;

/// <summary>The 64-bit hypercall input value ("control word", tlfs.md section 1.1).</summary>
/// <remarks>Layout: 15:0 call code, 16 Fast, 26:17 variable header size (8-byte units), 30:27 RsvdZ,
/// 31 Is Nested, 43:32 rep count, 47:44 RsvdZ, 59:48 rep start index, 63:60 RsvdZ.</remarks>
/// <param name="raw">The raw input value.</param>
public readonly struct HypercallInputValue(ulong raw)
{
    /// <summary>Bit 16, <c>Fast</c>: register calling convention.</summary>
    public const ulong FastBit = 1UL << 16;

    /// <summary>Bits 27..31, 44..47 and 60..63: Linux <c>HV_HYPERCALL_RSVD_MASK</c>, as KVM checks it.</summary>
    /// <remarks>Bit 31 ("Is Nested") is treated as reserved, as KVM does: HvBench is never an L1 hypervisor.</remarks>
    public const ulong ReservedMask = (0x1FUL << 27) | (0xFUL << 44) | (0xFUL << 60);

    /// <summary>The raw input value.</summary>
    public ulong Raw { get; } = raw;

    /// <summary>Call code, bits 15:0.</summary>
    public ushort CallCode => (ushort)Raw;

    /// <summary>Fast, bit 16.</summary>
    public bool IsFast => (Raw & FastBit) != 0;

    /// <summary>Variable header size in 8-byte units, bits 26:17.</summary>
    public int VariableHeaderSize => (int)((Raw >> 17) & 0x3FF);

    /// <summary>Is Nested, bit 31 (reserved for HvBench).</summary>
    public bool IsNested => (Raw & (1UL << 31)) != 0;

    /// <summary>Rep count, bits 43:32.</summary>
    public int RepCount => (int)((Raw >> 32) & 0xFFF);

    /// <summary>Rep start index, bits 59:48.</summary>
    public int RepStartIndex => (int)((Raw >> 48) & 0xFFF);

    /// <summary>True if any bit of <see cref="ReservedMask"/> is set.</summary>
    public bool HasReservedBits => (Raw & ReservedMask) != 0;

    /// <summary>True if rep count, rep start index or variable header size is non-zero (illegal for simple calls).</summary>
    public bool HasRepOrVariableHeader => (Raw & ((0x3FFUL << 17) | (0xFFFUL << 32) | (0xFFFUL << 48))) != 0;

    /// <summary>Builds an input value for a simple call.</summary>
    public static HypercallInputValue Simple(HypercallCode code, bool fast) => new((ulong)code | (fast ? FastBit : 0));

    /// <summary>Formats the fields for traces.</summary>
    public override string ToString() =>
        $"input(code=0x{CallCode:X4}{(IsFast ? ", fast" : "")}, varhdr={VariableHeaderSize}, reps={RepCount}@{RepStartIndex}{(HasReservedBits ? ", reserved bits" : "")})";
}

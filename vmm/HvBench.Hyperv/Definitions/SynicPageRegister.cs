namespace HvBench.Hyperv;

/// <summary>An <c>HV_X64_MSR_SIEFP</c> or <c>HV_X64_MSR_SIMP</c> value (tlfs.md section 6): 63:12 GPFN, 11:1 RsvdP, 0 Enable.</summary>
/// <param name="raw">The 64-bit register value.</param>
public readonly struct SynicPageRegister(ulong raw) : IEquatable<SynicPageRegister>
{
    /// <summary>Bit 0, <c>Enable</c>.</summary>
    public const ulong EnableBit = 1;

    /// <summary>Bits 63:12, the page's GPA.</summary>
    public const ulong GpaMask = ~0xFFFUL;

    /// <summary>Bits 11:1, RsvdP: a write that sets any of them is a #GP (<see cref="Partition.WriteMsr"/>).</summary>
    public const ulong ReservedBits = ~(GpaMask | EnableBit);

    /// <summary>The raw 64-bit value.</summary>
    public ulong Raw { get; } = raw;

    /// <summary>Enable, bit 0.</summary>
    public bool Enabled => (Raw & EnableBit) != 0;

    /// <summary>Guest page frame number, bits 63:12.</summary>
    public ulong Gpfn => Raw >> 12;

    /// <summary>Guest-physical address of the page (GPFN × 4096).</summary>
    public ulong Gpa => Raw & GpaMask;

    /// <summary>Builds an enabled register pointing at <paramref name="gpa"/> (low 12 bits ignored).</summary>
    public static SynicPageRegister EnabledAt(ulong gpa) => new((gpa & GpaMask) | EnableBit);

    /// <inheritdoc/>
    public bool Equals(SynicPageRegister other) => Raw == other.Raw;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SynicPageRegister other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Raw.GetHashCode();

    /// <summary>Value equality.</summary>
    public static bool operator ==(SynicPageRegister left, SynicPageRegister right) => left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(SynicPageRegister left, SynicPageRegister right) => !left.Equals(right);

    /// <summary>Formats the fields for traces.</summary>
    public override string ToString() => $"page(gpa=0x{Gpa:X}, {(Enabled ? "enabled" : "disabled")})";
}

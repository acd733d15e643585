namespace HvBench.Hyperv;

/// <summary>An <c>HV_X64_MSR_HYPERCALL</c> value (tlfs.md section 1.4): 63:12 GPFN, 11:2 RsvdP, 1 Locked, 0 Enable.</summary>
/// <param name="raw">The 64-bit register value.</param>
public readonly struct HypercallMsrRegister(ulong raw) : IEquatable<HypercallMsrRegister>
{
    /// <summary>Bit 0, <c>Enable</c>.</summary>
    public const ulong EnableBit = 1;

    /// <summary>Bit 1, <c>Locked</c>: sticky until reset.</summary>
    public const ulong LockedBit = 2;

    /// <summary>Bits 63:12, the page's GPA.</summary>
    public const ulong GpaMask = ~0xFFFUL;

    /// <summary>Bits 11:2, RsvdP: a write that sets any of them is a #GP (<see cref="Partition.WriteMsr"/>).</summary>
    public const ulong ReservedBits = ~(GpaMask | LockedBit | EnableBit);

    /// <summary>The raw 64-bit value.</summary>
    public ulong Raw { get; } = raw;

    /// <summary>Enable, bit 0.</summary>
    public bool Enabled => (Raw & EnableBit) != 0;

    /// <summary>Locked, bit 1.</summary>
    public bool Locked => (Raw & LockedBit) != 0;

    /// <summary>Guest page frame number, bits 63:12.</summary>
    public ulong Gpfn => Raw >> 12;

    /// <summary>Guest-physical address of the hypercall page.</summary>
    public ulong Gpa => Raw & GpaMask;

    /// <inheritdoc/>
    public bool Equals(HypercallMsrRegister other) => Raw == other.Raw;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is HypercallMsrRegister other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Raw.GetHashCode();

    /// <summary>Value equality.</summary>
    public static bool operator ==(HypercallMsrRegister left, HypercallMsrRegister right) => left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(HypercallMsrRegister left, HypercallMsrRegister right) => !left.Equals(right);

    /// <summary>Formats the fields for traces.</summary>
    public override string ToString() =>
        $"hypercall(gpa=0x{Gpa:X}, {(Enabled ? "enabled" : "disabled")}{(Locked ? ", locked" : "")})";
}

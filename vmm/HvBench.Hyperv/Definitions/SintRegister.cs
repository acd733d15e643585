namespace HvBench.Hyperv;

/// <summary>An <c>HV_X64_MSR_SINTx</c> value (tlfs.md section 6): 7:0 Vector, 16 Masked, 17 AutoEOI, 18 Polling, the rest RsvdP.</summary>
/// <param name="raw">The 64-bit register value.</param>
public readonly struct SintRegister(ulong raw) : IEquatable<SintRegister>
{
    /// <summary>Bit 16, <c>Masked</c>.</summary>
    public const ulong MaskedBit = 1UL << 16;

    /// <summary>Bit 17, <c>AutoEOI</c>.</summary>
    public const ulong AutoEoiBit = 1UL << 17;

    /// <summary>Bit 18, <c>Polling</c> (advertised by CPUID 0x40000003 EDX bit 17).</summary>
    public const ulong PollingBit = 1UL << 18;

    /// <summary>Bits 15:8 and 63:19, RsvdP: a write that sets any of them is a #GP (<see cref="Partition.WriteMsr"/>).</summary>
    public const ulong ReservedBits = ~(0xFFUL | MaskedBit | AutoEoiBit | PollingBit);

    /// <summary>The value at reset: masked, vector 0 (<c>0x10000</c>).</summary>
    public const ulong ResetValue = MaskedBit;

    /// <summary>Lowest vector an unmasked SINT may use; 0..15 are architectural exceptions.</summary>
    public const byte FirstValidVector = 16;

    /// <summary>The raw 64-bit value.</summary>
    public ulong Raw { get; } = raw;

    /// <summary>Interrupt vector, bits 7:0.</summary>
    public byte Vector => (byte)Raw;

    /// <summary>Masked, bit 16: no interrupt is delivered.</summary>
    public bool Masked => (Raw & MaskedBit) != 0;

    /// <summary>AutoEOI, bit 17: the hypervisor performs the EOI at delivery.</summary>
    public bool AutoEoi => (Raw & AutoEoiBit) != 0;

    /// <summary>Polling, bit 18: unmasked, but flags and messages raise no interrupt.</summary>
    public bool Polling => (Raw & PollingBit) != 0;

    /// <summary>Returns a copy with <see cref="Vector"/> replaced.</summary>
    public SintRegister WithVector(byte vector) => new((Raw & ~0xFFUL) | vector);

    /// <summary>Returns a copy with <see cref="Masked"/> replaced.</summary>
    public SintRegister WithMasked(bool masked) => new(masked ? Raw | MaskedBit : Raw & ~MaskedBit);

    /// <summary>Returns a copy with <see cref="AutoEoi"/> replaced.</summary>
    public SintRegister WithAutoEoi(bool autoEoi) => new(autoEoi ? Raw | AutoEoiBit : Raw & ~AutoEoiBit);

    /// <summary>Returns a copy with <see cref="Polling"/> replaced.</summary>
    public SintRegister WithPolling(bool polling) => new(polling ? Raw | PollingBit : Raw & ~PollingBit);

    /// <inheritdoc/>
    public bool Equals(SintRegister other) => Raw == other.Raw;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SintRegister other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Raw.GetHashCode();

    /// <summary>Value equality.</summary>
    public static bool operator ==(SintRegister left, SintRegister right) => left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(SintRegister left, SintRegister right) => !left.Equals(right);

    /// <summary>Formats the fields for traces.</summary>
    public override string ToString() =>
        $"SINT(vector=0x{Vector:X2}{(Masked ? ", masked" : "")}{(AutoEoi ? ", auto-EOI" : "")}{(Polling ? ", polling" : "")})";
}

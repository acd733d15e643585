namespace HvBench.Hyperv;

/// <summary>An <c>HV_X64_MSR_SCONTROL</c> value (tlfs.md section 6): bit 0 Enable, 63:1 RsvdP.</summary>
/// <param name="raw">The 64-bit register value.</param>
public readonly struct SynicControlRegister(ulong raw) : IEquatable<SynicControlRegister>
{
    /// <summary>Bit 0, <c>Enable</c>.</summary>
    public const ulong EnableBit = 1;

    /// <summary>Bits 63:1, RsvdP: a write that sets any of them is a #GP (<see cref="Partition.WriteMsr"/>).</summary>
    public const ulong ReservedBits = ~EnableBit;

    /// <summary>The raw 64-bit value.</summary>
    public ulong Raw { get; } = raw;

    /// <summary>Enable, bit 0: with 0 no message is delivered and no event is signalled to this VP.</summary>
    public bool Enabled => (Raw & EnableBit) != 0;

    /// <inheritdoc/>
    public bool Equals(SynicControlRegister other) => Raw == other.Raw;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SynicControlRegister other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Raw.GetHashCode();

    /// <summary>Value equality.</summary>
    public static bool operator ==(SynicControlRegister left, SynicControlRegister right) => left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(SynicControlRegister left, SynicControlRegister right) => !left.Equals(right);

    /// <summary>Formats the fields for traces.</summary>
    public override string ToString() => Enabled ? "SCONTROL(enabled)" : "SCONTROL(disabled)";
}

using System.Globalization;

namespace HvBench.Vmm.Configuration.Json;

/// <summary>An inclusive range of allowed integers; <see cref="Hex"/> shows the bound in hex, as the TLFS writes ids.</summary>
internal readonly record struct IntegerRange(long Min, long Max, bool Hex = false)
{
    public bool Contains(long value) => value >= Min && value <= Max;

    /// <summary>The range as messages show it, e.g. <c>0..15</c> or <c>1..0xFFFFFF</c>.</summary>
    public override string ToString() =>
        Hex ? $"{Min.ToString(CultureInfo.InvariantCulture)}..0x{Max.ToString("X", CultureInfo.InvariantCulture)}"
            : $"{Min.ToString(CultureInfo.InvariantCulture)}..{Max.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A value as messages show it: decimal, plus hex for ranges shown in hex.</summary>
    public string Show(long value) =>
        Hex && value > 9
            ? $"{value.ToString(CultureInfo.InvariantCulture)} (0x{value.ToString("X", CultureInfo.InvariantCulture)})"
            : value.ToString(CultureInfo.InvariantCulture);
}

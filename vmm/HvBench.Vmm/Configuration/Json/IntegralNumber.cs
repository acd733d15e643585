using System.Text.Json;

namespace HvBench.Vmm.Configuration.Json;

/// <summary>
/// Reads a JSON number as a whole number in whatever form it is written: <c>100</c>, <c>1e2</c>, <c>100.0</c>. JSON
/// Schema's <c>"type": "integer"</c> (draft 2020-12) means "a number with a zero fractional part", not "written
/// without an exponent", and the schema and the parser must accept the same documents; <c>1.5</c> is still refused.
/// </summary>
internal static class IntegralNumber
{
    /// <summary>What a number is, as far as an integer field is concerned.</summary>
    internal enum Kind
    {
        /// <summary>A whole number that fits a <see cref="long"/>.</summary>
        Fits,
        /// <summary>A whole number too large for a <see cref="long"/> (out of every field's range).</summary>
        TooLarge,
        /// <summary>Has a fractional part.</summary>
        Fractional,
    }

    internal static Kind Read(JsonElement element, out long value)
    {
        if (element.TryGetInt64(out value)) return Kind.Fits;
        return Classify(element.TryGetDecimal(out decimal exact), exact, element.TryGetDouble(out double approximate), approximate, out value);
    }

    internal static Kind Read(ref Utf8JsonReader reader, out long value)
    {
        if (reader.TryGetInt64(out value)) return Kind.Fits;
        return Classify(reader.TryGetDecimal(out decimal exact), exact, reader.TryGetDouble(out double approximate), approximate, out value);
    }

    private static Kind Classify(bool hasDecimal, decimal exact, bool hasDouble, double approximate, out long value)
    {
        value = 0;
        if (hasDecimal)
        {
            // decimal holds 28 digits exactly, so 1e2 and 100.0 are recognised exactly and 1.5 is not mistaken for 1.
            if (decimal.Truncate(exact) != exact) return Kind.Fractional;
            if (exact < long.MinValue || exact > long.MaxValue) return Kind.TooLarge;
            value = (long)exact;
            return Kind.Fits;
        }

        // Beyond decimal's range (about 7.9e28) a double can still tell a huge whole number from a fraction.
        return hasDouble && double.IsFinite(approximate) && Math.Floor(approximate) == approximate ? Kind.TooLarge : Kind.Fractional;
    }
}

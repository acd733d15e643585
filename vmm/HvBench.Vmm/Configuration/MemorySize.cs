using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace HvBench.Vmm.Configuration;

/// <summary>
/// Parses and formats RAM sizes as scenario files and the <c>--memory</c> flag write them: a whole number with an
/// optional binary suffix <c>K</c>, <c>M</c> or <c>G</c> (either case, 1K = 1024 bytes); a bare number is bytes.
/// </summary>
public static class MemorySize
{
    /// <summary>The accepted forms, as error messages list them.</summary>
    public const string AllowedForms =
        "a whole number with an optional suffix K, M or G (1K = 1024 bytes), e.g. \"64M\"; a bare number is bytes";

    /// <summary>Parses a size to bytes, throwing <see cref="FormatException"/> with a message that lists the allowed forms.</summary>
    public static ulong Parse(string text)
    {
        if (!TryParse(text, out ulong bytes, out string? error))
        {
            throw new FormatException(error);
        }

        return bytes;
    }

    /// <summary>Parses a size to bytes; on failure <paramref name="error"/> says what is wrong and lists the allowed forms.</summary>
    public static bool TryParse(string? text, out ulong bytes, [NotNullWhen(false)] out string? error)
    {
        bytes = 0;
        if (string.IsNullOrEmpty(text))
        {
            error = $"an empty string is not a size (use {AllowedForms})";
            return false;
        }

        int shift = text[^1] switch
        {
            'K' or 'k' => 10,
            'M' or 'm' => 20,
            'G' or 'g' => 30,
            _ => 0,
        };
        ReadOnlySpan<char> digits = shift == 0 ? text : text.AsSpan(0, text.Length - 1);
        if (digits.IsEmpty || !IsAsciiDigits(digits))
        {
            error = $"{Quoting.Quote(text)} is not a size (use {AllowedForms})";
            return false;
        }

        if (!ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out ulong count) || count > ulong.MaxValue >> shift)
        {
            error = $"{Quoting.Quote(text)} is too large for a 64-bit byte count";
            return false;
        }

        bytes = count << shift;
        error = null;
        return true;
    }

    /// <summary>Formats a byte count in the largest unit that divides it exactly, e.g. <c>64M</c>, <c>2052K</c>, <c>12345</c>.</summary>
    public static string Format(ulong bytes)
    {
        if (bytes == 0)
        {
            return "0";
        }

        foreach ((int shift, char suffix) in (ReadOnlySpan<(int, char)>)[(30, 'G'), (20, 'M'), (10, 'K')])
        {
            ulong unit = 1UL << shift;
            if (bytes % unit == 0)
            {
                return (bytes / unit).ToString(CultureInfo.InvariantCulture) + suffix;
            }
        }

        return bytes.ToString(CultureInfo.InvariantCulture);
    }

    internal static bool IsAsciiDigits(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}

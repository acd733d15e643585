using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace HvBench.Vmm.Configuration;

/// <summary>
/// Parses and formats durations as scenario files and the <c>--timeout</c> flag write them: a whole number followed
/// by <c>ms</c>, <c>s</c> or <c>m</c> (lower case); a bare number is seconds.
/// </summary>
public static class Duration
{
    /// <summary>The accepted forms, as error messages list them.</summary>
    public const string AllowedForms =
        "a whole number followed by ms, s or m, e.g. \"500ms\", \"30s\", \"2m\"; a bare number is seconds";

    private const long MaxMilliseconds = long.MaxValue / TimeSpan.TicksPerMillisecond;

    /// <summary>Parses a duration, throwing <see cref="FormatException"/> with a message that lists the allowed forms.</summary>
    public static TimeSpan Parse(string text)
    {
        if (!TryParse(text, out TimeSpan value, out string? error))
        {
            throw new FormatException(error);
        }

        return value;
    }

    /// <summary>Parses a duration; on failure <paramref name="error"/> says what is wrong and lists the allowed forms.</summary>
    public static bool TryParse(string? text, out TimeSpan value, [NotNullWhen(false)] out string? error)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text))
        {
            error = $"an empty string is not a duration (use {AllowedForms})";
            return false;
        }

        (int suffixLength, long millisecondsPerUnit) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.Ordinal) => (2, 1L),
            _ when text.EndsWith('s') => (1, 1000L),
            _ when text.EndsWith('m') => (1, 60_000L),
            _ => (0, 1000L),
        };
        ReadOnlySpan<char> digits = text.AsSpan(0, text.Length - suffixLength);
        if (digits.IsEmpty || !MemorySize.IsAsciiDigits(digits))
        {
            error = $"{Quoting.Quote(text)} is not a duration (use {AllowedForms})";
            return false;
        }

        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long count) || count > MaxMilliseconds / millisecondsPerUnit)
        {
            error = $"{Quoting.Quote(text)} is too long to represent";
            return false;
        }

        value = TimeSpan.FromTicks(count * millisecondsPerUnit * TimeSpan.TicksPerMillisecond);
        error = null;
        return true;
    }

    /// <summary>Formats a duration in the largest unit that divides it exactly, e.g. <c>30s</c>, <c>2m</c>, <c>1500ms</c>.</summary>
    public static string Format(TimeSpan value)
    {
        if (value.Ticks % TimeSpan.TicksPerMillisecond != 0)
        {
            return value.TotalMilliseconds.ToString(CultureInfo.InvariantCulture) + "ms";
        }

        long milliseconds = value.Ticks / TimeSpan.TicksPerMillisecond;
        return milliseconds switch
        {
            0 => "0s",
            _ when milliseconds % 60_000 == 0 => (milliseconds / 60_000).ToString(CultureInfo.InvariantCulture) + "m",
            _ when milliseconds % 1000 == 0 => (milliseconds / 1000).ToString(CultureInfo.InvariantCulture) + "s",
            _ => milliseconds.ToString(CultureInfo.InvariantCulture) + "ms",
        };
    }
}

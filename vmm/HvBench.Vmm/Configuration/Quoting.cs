using System.Globalization;
using System.Text;

namespace HvBench.Vmm.Configuration;

/// <summary>Renders user text inside one-line messages: JSON-style quotes and escapes, long text shortened.</summary>
internal static class Quoting
{
    private const int MaxShownChars = 40;

    /// <summary>Quotes a string as JSON would, shortened to 40 characters, so that a message stays on one line.</summary>
    public static string Quote(string text) => "\"" + Escape(Shorten(text)) + "\"";

    /// <summary>Shortens text to 40 characters, marking the cut with "...".</summary>
    public static string Shorten(string text) => text.Length <= MaxShownChars ? text : string.Concat(text.AsSpan(0, MaxShownChars - 3), "...");

    /// <summary>Escapes quotes, backslashes and control characters (JSON rules) so the result has no line break.</summary>
    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length + 2);
        foreach (char c in text)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case var control when IsControl(control):
                    builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    break;
                default: builder.Append(c); break;
            }
        }

        return builder.ToString();
    }

    /// <summary>Replaces line breaks and other control characters by spaces, for text that is not quoted (file names, OS messages).</summary>
    public static string OneLine(string text) =>
        string.Create(text.Length, text, static (span, source) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                char c = source[i];
                span[i] = IsControl(c) ? ' ' : c;
            }
        });

    // The C0 and C1 controls and DEL (terminals act on some C1 controls, and U+0085 ends a line), and Unicode's line
    // and paragraph separators: what the image loader's messages replace too.
    private static bool IsControl(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';
}

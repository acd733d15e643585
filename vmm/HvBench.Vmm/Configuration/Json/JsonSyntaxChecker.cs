using System.Globalization;
using System.Text;
using System.Text.Json;

namespace HvBench.Vmm.Configuration.Json;

/// <summary>
/// Reads the whole text once with <see cref="Utf8JsonReader"/>, tracking the JSON path, so that a syntax error
/// (not JSON, a truncated file, a comment, a trailing comma) is reported with its path, line and column.
/// </summary>
internal static class JsonSyntaxChecker
{
    /// <summary>Strict JSON (RFC 8259): no comments, no trailing commas.</summary>
    public static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        MaxDepth = 64,
    };

    public static void Check(string source, ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, ReaderOptions);
        var path = new PathTracker();
        try
        {
            while (reader.Read())
            {
                path.Observe(ref reader);
            }
        }
        catch (JsonException exception)
        {
            ThrowHelper.Problem(source, path.Current, Describe(exception, utf8));
        }
        catch (InvalidOperationException) when (reader.TokenType is JsonTokenType.PropertyName or JsonTokenType.String)
        {
            // The grammar allows any \uXXXX escape, but one half of a surrogate pair alone is no UTF-16 text, and
            // System.Text.Json refuses to make a string of it (here, in the shape check, and when deserializing).
            ThrowHelper.Problem(source, path.Current,
                $"invalid JSON: a string escapes half of a surrogate pair (\\uD800..\\uDFFF) without the other half ({Position(utf8, (int)reader.TokenStartIndex)})");
        }
    }

    /// <summary>The position of a byte as "line L, column C", both counted from 1, columns in characters.</summary>
    public static string Position(ReadOnlySpan<byte> utf8, int offset)
    {
        int lineStart = utf8[..offset].LastIndexOf((byte)'\n') + 1;
        int line = utf8[..offset].Count((byte)'\n') + 1;
        return Position(utf8, lineStart, line, offset - lineStart);
    }

    private static string Position(ReadOnlySpan<byte> utf8, int lineStart, int line, int byteInLine)
    {
        int column = Encoding.UTF8.GetCharCount(utf8.Slice(lineStart, Math.Min(byteInLine, utf8.Length - lineStart))) + 1;
        return $"line {line.ToString(CultureInfo.InvariantCulture)}, column {column.ToString(CultureInfo.InvariantCulture)}";
    }

    private static string Describe(JsonException exception, ReadOnlySpan<byte> utf8)
    {
        int line = (int)(exception.LineNumber ?? 0);
        int byteInLine = (int)(exception.BytePositionInLine ?? 0);
        int lineStart = 0;
        for (int i = 0; i < line; i++)
        {
            int next = utf8[lineStart..].IndexOf((byte)'\n');
            lineStart = next < 0 ? utf8.Length : lineStart + next + 1;
        }

        int offset = Math.Min(lineStart + byteInLine, utf8.Length);
        string reason = IsBlank(utf8[offset..]) ? "the file ends before the JSON is complete"
            : utf8[offset] == '/' ? "comments are not allowed in JSON"
            : exception.Message.Contains("trailing comma", StringComparison.Ordinal) ? "a trailing comma is not allowed in JSON"
            : ReaderReason(exception.Message);
        return $"invalid JSON: {reason} ({Position(utf8, lineStart, line + 1, byteInLine)})";
    }

    /// <summary>The reader's own explanation without its position suffix, which the message gives in its own form.</summary>
    private static string ReaderReason(string message)
    {
        int suffix = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        string reason = (suffix < 0 ? message : message[..suffix]).Trim();
        return reason.EndsWith('.') ? reason[..^1] : reason;
    }

    /// <summary>Whether the bytes are only JSON whitespace (space, tab, CR, LF).</summary>
    public static bool IsBlank(ReadOnlySpan<byte> utf8) => utf8.IndexOfAnyExcept(" \t\r\n"u8) < 0;

    /// <summary>The path of the value being read, in the form <c>$.a.b[2]</c>; between values, the path of the container.</summary>
    private sealed class PathTracker
    {
        private readonly List<Frame> _frames = [];

        public string Current
        {
            get
            {
                string path = JsonPathText.Root;
                foreach (Frame frame in _frames)
                {
                    if (frame.IsArray && frame.InValue)
                    {
                        path = JsonPathText.Index(path, frame.Index);
                    }
                    else if (!frame.IsArray && frame.Property is not null)
                    {
                        path = JsonPathText.Property(path, frame.Property);
                    }
                }

                return path;
            }
        }

        public void Observe(ref Utf8JsonReader reader)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    _frames[^1] = _frames[^1] with { Property = reader.GetString() };
                    break;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    StartValue();
                    _frames.Add(new Frame(reader.TokenType == JsonTokenType.StartArray, -1, false, null));
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    _frames.RemoveAt(_frames.Count - 1);
                    EndValue();
                    break;
                case JsonTokenType.String:
                    StartValue();
                    // Unescaped once here, so that a string no later step can read is refused with its path.
                    if (reader.ValueIsEscaped) _ = reader.GetString();
                    EndValue();
                    break;
                default:
                    StartValue();
                    EndValue();
                    break;
            }
        }

        private void StartValue()
        {
            if (_frames.Count > 0 && _frames[^1].IsArray)
            {
                _frames[^1] = _frames[^1] with { Index = _frames[^1].Index + 1, InValue = true };
            }
        }

        // Once a value is complete, a later error (a missing comma, the end of the file) belongs to its container.
        private void EndValue()
        {
            if (_frames.Count > 0)
            {
                _frames[^1] = _frames[^1] with { InValue = false, Property = null };
            }
        }

        private readonly record struct Frame(bool IsArray, int Index, bool InValue, string? Property);
    }
}

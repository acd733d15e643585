using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;
using HvBench.Vmm.Configuration.Json;

namespace HvBench.Vmm.Configuration;

/// <summary>
/// Reads scenario files (docs/scenario.md) into a validated <see cref="Scenario"/>. Anything wrong, from a file that
/// is not JSON to a duplicate port id, is refused with a <see cref="ScenarioException"/> whose message is one line
/// naming the file and the JSON path; no <see cref="JsonException"/> leaves this class.
/// </summary>
public static class ScenarioParser
{
    private static readonly JsonDocumentOptions s_documentOptions = new()
    {
        CommentHandling = JsonSyntaxChecker.ReaderOptions.CommentHandling,
        AllowTrailingCommas = JsonSyntaxChecker.ReaderOptions.AllowTrailingCommas,
        MaxDepth = JsonSyntaxChecker.ReaderOptions.MaxDepth,
    };

    /// <summary>Parses scenario JSON; <paramref name="sourceName"/> starts every message and anchors relative image paths.</summary>
    public static Scenario Parse(string json, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentException.ThrowIfNullOrEmpty(sourceName);
        string text = json.StartsWith('\uFEFF') ? json[1..] : json;
        return ParseUtf8(Encoding.UTF8.GetBytes(text), sourceName, DirectoryOf(sourceName));
    }

    /// <summary>Reads and parses a scenario file (UTF-8, a regular file of at most <see cref="ScenarioLimits.MaxFileBytes"/> bytes).</summary>
    public static Scenario Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = InputFile.Read(path, ScenarioLimits.MaxFileBytes);
        }
        catch (InputFileException e)
        {
            string limit = MemorySize.Format(ScenarioLimits.MaxFileBytes);
            throw new ScenarioException(path, null, e.Problem switch
            {
                InputFileProblem.TooLarge when e.Length is long length => $"the file has {length} bytes; a scenario file has at most {limit}",
                InputFileProblem.TooLarge => $"the file has more than {ScenarioLimits.MaxFileBytes} bytes; a scenario file has at most {limit}",
                _ => $"cannot read the file: {e.Message}",
            });
        }

        ReadOnlySpan<byte> utf8 = bytes;
        if (utf8.StartsWith(Encoding.UTF8.Preamble))
        {
            utf8 = utf8[Encoding.UTF8.Preamble.Length..];
        }

        if (!Utf8.IsValid(utf8))
        {
            int offset = FirstInvalidUtf8(utf8);
            throw new ScenarioException(path, JsonPathText.Root,
                $"not UTF-8 text (byte 0x{utf8[offset]:X2} at {JsonSyntaxChecker.Position(utf8, offset)})");
        }

        return ParseUtf8(utf8.ToArray(), path, DirectoryOf(path));
    }

    private static Scenario ParseUtf8(byte[] utf8, string source, string baseDirectory)
    {
        if (JsonSyntaxChecker.IsBlank(utf8))
        {
            throw new ScenarioException(source, JsonPathText.Root, "the file is empty (expected a JSON object)");
        }

        JsonSyntaxChecker.Check(source, utf8);
        using JsonDocument json = JsonDocument.Parse(utf8, s_documentOptions);
        JsonTypeInfo<ScenarioDocument> info = ScenarioJsonContext.Default.ScenarioDocument;
        JsonShapeChecker.Check(source, json.RootElement, info);
        ScenarioDocument document;
        try
        {
            document = json.RootElement.Deserialize(info)!;
        }
        catch (JsonException exception)
        {
            // The shape check refuses everything the serializer would; this only guards against the two drifting apart.
            throw new ScenarioException(source, exception.Path ?? JsonPathText.Root, $"cannot be read ({FirstLine(exception.Message)})");
        }

        return ScenarioBuilder.Build(document, source, baseDirectory);
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> utf8)
    {
        char[] buffer = ArrayPool<char>.Shared.Rent(utf8.Length);
        try
        {
            Utf8.ToUtf16(utf8, buffer, out int bytesRead, out _, replaceInvalidSequences: false);
            return Math.Min(bytesRead, utf8.Length - 1);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private static string DirectoryOf(string path)
    {
        try
        {
            return Path.GetDirectoryName(Path.GetFullPath(path)) ?? Directory.GetCurrentDirectory();
        }
        catch (ArgumentException)
        {
            return Directory.GetCurrentDirectory();
        }
    }

    private static string FirstLine(string message)
    {
        int end = message.IndexOfAny(['\r', '\n']);
        int pathSuffix = message.IndexOf(" Path: ", StringComparison.Ordinal);
        int cut = end < 0 ? pathSuffix : pathSuffix < 0 ? end : Math.Min(end, pathSuffix);
        return (cut < 0 ? message : message[..cut]).TrimEnd('.');
    }
}

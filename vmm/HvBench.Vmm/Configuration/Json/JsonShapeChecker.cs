using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace HvBench.Vmm.Configuration.Json;

/// <summary>
/// Checks a parsed document against the source-generated metadata of the scenario documents before it is
/// deserialized: every object has only known fields, each once, and all required ones; every value has the right
/// JSON type and no value is null; integers are in range and names are known (<see cref="FieldRules"/>). Doing
/// this on the <see cref="JsonElement"/> tree, rather than translating the serializer's exceptions, lets each
/// message say what was found and what is allowed.
/// </summary>
internal static class JsonShapeChecker
{
    public static void Check(string source, JsonElement root, JsonTypeInfo rootInfo) =>
        CheckValue(source, root, rootInfo, rule: null, JsonPathText.Root, optional: false);

    /// <summary>What a message says a value of this type should be: "an object", "an integer 0..15", …</summary>
    public static string Expected(JsonTypeInfo info, FieldRule? rule) => info.Kind switch
    {
        JsonTypeInfoKind.Object => "an object",
        JsonTypeInfoKind.Enumerable => "an array",
        _ => rule?.Expected ?? "a value",
    };

    /// <summary>A found value as messages show it: strings quoted, numbers as written, containers by kind.</summary>
    public static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => Quoting.Quote(element.GetString()!),
        JsonValueKind.Number => Quoting.Shorten(element.GetRawText()),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => "nothing",
    };

    private static void CheckValue(string source, JsonElement element, JsonTypeInfo info, FieldRule? rule, string path, bool optional)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            ThrowHelper.Problem(source, path, $"expected {Expected(info, rule)}, got null" + (optional ? " (leave the field out to get its default)" : ""));
        }

        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object:
                CheckObject(source, element, info, path);
                break;
            case JsonTypeInfoKind.Enumerable:
                CheckArray(source, element, info, rule, path);
                break;
            case JsonTypeInfoKind.None:
                CheckScalar(source, element, info.Type, rule ?? throw new InvalidOperationException($"no FieldRule for {path}"), path);
                break;
            default:
                throw new InvalidOperationException($"scenario documents hold no {info.Kind} ({info.Type.Name} at {path})");
        }
    }

    private static void CheckObject(string source, JsonElement element, JsonTypeInfo info, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            ThrowHelper.Problem(source, path, $"expected an object, got {Describe(element)}");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonProperty member in element.EnumerateObject())
        {
            string memberPath = JsonPathText.Property(path, member.Name);
            if (!seen.Add(member.Name))
            {
                ThrowHelper.Problem(source, memberPath, $"field {Quoting.Quote(member.Name)} appears more than once");
            }

            JsonPropertyInfo? property = FindProperty(info, member.Name);
            if (property is null)
            {
                ThrowHelper.Problem(source, memberPath, UnknownField(member.Name, info));
            }

            CheckValue(source, member.Value, info.Options.GetTypeInfo(property.PropertyType), FieldRules.Find(info.Type, property.Name), memberPath, !property.IsRequired);
        }

        foreach (JsonPropertyInfo property in info.Properties)
        {
            if (property.IsRequired && !seen.Contains(property.Name))
            {
                ThrowHelper.Problem(source, path, $"required field {Quoting.Quote(property.Name)} is missing (required: {string.Join(", ", RequiredNames(info))})");
            }
        }
    }

    private static void CheckArray(string source, JsonElement element, JsonTypeInfo info, FieldRule? rule, string path)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            ThrowHelper.Problem(source, path, $"expected an array, got {Describe(element)}");
        }

        JsonTypeInfo itemInfo = info.Options.GetTypeInfo(info.ElementType!);
        int index = 0;
        foreach (JsonElement item in element.EnumerateArray())
        {
            CheckValue(source, item, itemInfo, rule, JsonPathText.Index(path, index++), optional: false);
        }
    }

    private static void CheckScalar(string source, JsonElement element, Type type, FieldRule rule, string path)
    {
        Type valueType = Nullable.GetUnderlyingType(type) ?? type;
        if (valueType == typeof(long))
        {
            if (element.ValueKind != JsonValueKind.Number)
            {
                ThrowHelper.Problem(source, path, $"expected {rule.Expected}, got {Describe(element)}");
            }

            IntegralNumber.Kind kind = IntegralNumber.Read(element, out long value);
            if (kind != IntegralNumber.Kind.Fits)
            {
                string text = element.GetRawText();
                ThrowHelper.Problem(source, path, kind == IntegralNumber.Kind.TooLarge
                    ? $"{Quoting.Shorten(text)} is out of range {rule.Range}"
                    : $"expected {rule.Expected}, got {Quoting.Shorten(text)}");
            }

            if (!rule.Range.Contains(value))
            {
                ThrowHelper.Problem(source, path, $"{rule.Range.Show(value)} is out of range {rule.Range}");
            }
        }
        else if (valueType == typeof(string))
        {
            if (element.ValueKind != JsonValueKind.String)
            {
                ThrowHelper.Problem(source, path, $"expected {rule.Expected}, got {Describe(element)}");
            }

            string text = element.GetString()!;
            if (rule.Format == FieldFormat.Name && !rule.Allowed.Contains(text))
            {
                string? suggestion = Suggestions.Closest(text, rule.Allowed);
                string hint = suggestion is null ? "" : $"; did you mean {Quoting.Quote(suggestion)}?";
                ThrowHelper.Problem(source, path, $"{Quoting.Quote(text)} is not a known value{hint} (allowed: {string.Join(", ", rule.Allowed)})");
            }
        }
        else
        {
            throw new InvalidOperationException($"scenario documents hold no {valueType.Name} ({path})");
        }
    }

    private static JsonPropertyInfo? FindProperty(JsonTypeInfo info, string name)
    {
        foreach (JsonPropertyInfo property in info.Properties)
        {
            if (property.Name == name)
            {
                return property;
            }
        }

        return null;
    }

    private static string UnknownField(string name, JsonTypeInfo info)
    {
        var names = new List<string>(info.Properties.Count);
        foreach (JsonPropertyInfo property in info.Properties)
        {
            names.Add(property.Name);
        }

        string? suggestion = Suggestions.Closest(name, names);
        string hint = suggestion is null ? "" : $"; did you mean {Quoting.Quote(suggestion)}?";
        return $"unknown field {Quoting.Quote(name)}{hint} (allowed: {string.Join(", ", names)})";
    }

    private static List<string> RequiredNames(JsonTypeInfo info)
    {
        var names = new List<string>();
        foreach (JsonPropertyInfo property in info.Properties)
        {
            if (property.IsRequired)
            {
                names.Add(property.Name);
            }
        }

        return names;
    }
}

using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using HvBench.Vmm.Configuration.Json;

namespace HvBench.Vmm.Tests.Configuration;

/// <summary>
/// docs/scenario.schema.json walked side by side with the parser's source-generated metadata: each schema object
/// is paired with the document type the parser reads there, and each scalar field with its <see cref="FieldRule"/>.
/// </summary>
internal sealed class ScenarioSchemaFile
{
    private readonly List<SchemaObject> _objects = [];
    private readonly List<SchemaScalar> _scalars = [];

    private ScenarioSchemaFile(JsonElement root)
    {
        Root = root;
        Visit(ScenarioJsonContext.Default.ScenarioDocument, root, "$");
    }

    public JsonElement Root { get; }

    /// <summary>Every object of the format, from the root down, with the schema that describes it.</summary>
    public IReadOnlyList<SchemaObject> Objects => _objects;

    /// <summary>Every scalar field (or item of an array of scalars), with its schema.</summary>
    public IReadOnlyList<SchemaScalar> Scalars => _scalars;

    public static ScenarioSchemaFile Load()
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.PathOf("docs", "scenario.schema.json")));
        return new ScenarioSchemaFile(document.RootElement.Clone());
    }

    /// <summary>Follows local <c>$ref</c>s (<c>#/$defs/name</c>) to the schema they name.</summary>
    public JsonElement Resolve(JsonElement schema)
    {
        while (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out JsonElement reference))
        {
            string target = reference.GetString()!;
            Assert.That(target, Does.StartWith("#/$defs/"), "only local $defs references");
            schema = Root.GetProperty("$defs").GetProperty(target["#/$defs/".Length..]);
        }

        return schema;
    }

    public JsonElement Definition(string name) => Root.GetProperty("$defs").GetProperty(name);

    private void Visit(JsonTypeInfo info, JsonElement schema, string path)
    {
        schema = Resolve(schema);
        _objects.Add(new SchemaObject(info, schema, path));
        if (!schema.TryGetProperty("properties", out JsonElement properties))
        {
            return;
        }

        foreach (JsonPropertyInfo property in info.Properties)
        {
            if (!properties.TryGetProperty(property.Name, out JsonElement fieldSchema))
            {
                continue;
            }

            fieldSchema = Resolve(fieldSchema);
            string fieldPath = $"{path}.{property.Name}";
            JsonTypeInfo fieldInfo = info.Options.GetTypeInfo(property.PropertyType);
            switch (fieldInfo.Kind)
            {
                case JsonTypeInfoKind.Object:
                    Visit(fieldInfo, fieldSchema, fieldPath);
                    break;
                case JsonTypeInfoKind.Enumerable:
                    JsonTypeInfo itemInfo = info.Options.GetTypeInfo(fieldInfo.ElementType!);
                    JsonElement itemSchema = Resolve(fieldSchema.GetProperty("items"));
                    if (itemInfo.Kind == JsonTypeInfoKind.Object)
                    {
                        Visit(itemInfo, itemSchema, $"{fieldPath}[]");
                    }
                    else
                    {
                        _scalars.Add(new SchemaScalar(info.Type, property.Name, itemInfo.Type, itemSchema, $"{fieldPath}[]"));
                    }

                    break;
                default:
                    _scalars.Add(new SchemaScalar(info.Type, property.Name, fieldInfo.Type, fieldSchema, fieldPath));
                    break;
            }
        }
    }
}

/// <summary>An object of the format: the parser's metadata for it and its (resolved) schema.</summary>
internal sealed record SchemaObject(JsonTypeInfo Info, JsonElement Schema, string Path);

/// <summary>A scalar field: its owner document type and JSON name, the .NET type the parser reads, and its schema.</summary>
internal sealed record SchemaScalar(Type Owner, string Name, Type ValueType, JsonElement Schema, string Path)
{
    public FieldRule Rule => FieldRules.Get(Owner, Name);

    public bool IsInteger => (Nullable.GetUnderlyingType(ValueType) ?? ValueType) == typeof(long);
}

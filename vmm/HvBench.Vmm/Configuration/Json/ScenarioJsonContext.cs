using System.Text.Json.Serialization;

namespace HvBench.Vmm.Configuration.Json;

/// <summary>
/// Source-generated System.Text.Json metadata for the scenario documents (no reflection, AOT-safe). Its property
/// lists are the set of field names the parser accepts; the schema test compares them with docs/scenario.schema.json.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowDuplicateProperties = false,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    Converters = [typeof(IntegralNumberConverter)])]
[JsonSerializable(typeof(ScenarioDocument))]
internal sealed partial class ScenarioJsonContext : JsonSerializerContext;

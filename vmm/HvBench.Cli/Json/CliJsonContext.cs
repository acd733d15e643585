using System.Text.Json.Serialization;

namespace HvBench.Cli.Json;

/// <summary>Source-generated System.Text.Json metadata for every document <c>hvbench</c> prints with <c>--json</c>: no
/// reflection, so the program stays AOT-compatible. Every field is always written (null where there is no value),
/// so scripts can rely on the shape.</summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(RunDocument))]
[JsonSerializable(typeof(CapsDocument))]
internal sealed partial class CliJsonContext : JsonSerializerContext;

using System.Text.Json.Serialization;

namespace HvBench.Bench.Reports;

/// <summary>Source-generated JSON for <see cref="BenchReport"/>: no reflection, so <c>hvbench</c> stays AOT-clean.</summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(BenchReport))]
public sealed partial class BenchJsonContext : JsonSerializerContext;

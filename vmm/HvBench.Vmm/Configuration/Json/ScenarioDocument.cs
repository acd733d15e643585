using System.Text.Json.Serialization;

namespace HvBench.Vmm.Configuration.Json;

/// <summary>The root object of a scenario file as written; <see cref="ScenarioBuilder"/> checks it and builds a <see cref="Scenario"/>.</summary>
internal sealed class ScenarioDocument
{
    /// <summary>Optional reference to docs/scenario.schema.json for editors; ignored.</summary>
    [JsonPropertyName("$schema")]
    public string? Schema { get; init; }

    public long? Vcpus { get; init; }

    public string? Memory { get; init; }

    public string? Timeout { get; init; }

    public HypervDocument? Hyperv { get; init; }

    public List<PartitionDocument>? Partitions { get; init; }
}

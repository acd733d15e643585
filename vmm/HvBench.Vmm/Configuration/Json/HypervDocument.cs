namespace HvBench.Vmm.Configuration.Json;

/// <summary>A <c>hyperv</c> object as written.</summary>
internal sealed class HypervDocument
{
    public string? Convention { get; init; }

    public string? StatusProfile { get; init; }

    public List<string>? Privileges { get; init; }

    public List<PortDocument>? Ports { get; init; }

    public List<ConnectionDocument>? Connections { get; init; }
}

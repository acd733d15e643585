namespace HvBench.Vmm.Configuration.Json;

/// <summary>An entry of <c>hyperv.connections</c> as written.</summary>
internal sealed class ConnectionDocument
{
    public required long? Id { get; init; }

    public required long? Port { get; init; }

    /// <summary>The partition that owns the port (partitions extension); absent means the connection's own partition.</summary>
    public long? Partition { get; init; }
}

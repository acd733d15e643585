namespace HvBench.Vmm.Configuration.Json;

/// <summary>An entry of <c>hyperv.ports</c> as written.</summary>
internal sealed class PortDocument
{
    public required long? Id { get; init; }

    public required string? Type { get; init; }

    public required long? TargetVp { get; init; }

    public required long? TargetSint { get; init; }

    public long? BaseFlagNumber { get; init; }

    public long? FlagCount { get; init; }
}

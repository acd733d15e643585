namespace HvBench.Cli.Json;

/// <summary>One KVM capability.</summary>
internal sealed record CapabilityDocument
{
    /// <summary>kvm.h name, e.g. KVM_CAP_SIGNAL_MSI.</summary>
    public required string Name { get; init; }

    /// <summary>KVM_CAP_* number.</summary>
    public required int Number { get; init; }

    /// <summary>KVM_CHECK_EXTENSION's answer (0 = absent).</summary>
    public required int Value { get; init; }

    /// <summary>True when HvBench cannot run guests without it.</summary>
    public required bool Required { get; init; }

    /// <summary>What HvBench uses it for.</summary>
    public required string UsedFor { get; init; }
}

namespace HvBench.Cli.Json;

/// <summary>One partition of a run.</summary>
internal sealed record PartitionDocument
{
    /// <summary>Partition id.</summary>
    public required ulong Id { get; init; }

    /// <summary>The image it booted.</summary>
    public required string Image { get; init; }

    /// <summary>Number of VPs.</summary>
    public required int Vcpus { get; init; }

    /// <summary>RAM in bytes.</summary>
    public required ulong MemoryBytes { get; init; }

    /// <summary>tlfs or rax.</summary>
    public required string Convention { get; init; }

    /// <summary>tlfs or kvm-compat: whose statuses the hypercalls answer with.</summary>
    public required string StatusProfile { get; init; }

    /// <summary>The partition privilege mask (HV_PARTITION_PRIVILEGE_MASK).</summary>
    public required ulong PrivilegeMask { get; init; }

    /// <summary>xen or breakpoint.</summary>
    public required string Intercept { get; init; }

    /// <summary>Addresses of the VMCALLs found in the image's code, as hex strings.</summary>
    public required IReadOnlyList<string> DirectVmcallSites { get; init; }
}

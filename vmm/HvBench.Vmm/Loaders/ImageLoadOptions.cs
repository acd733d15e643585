namespace HvBench.Vmm.Loaders;

/// <summary>How to read an image and which guest-physical range it may occupy.</summary>
public sealed record ImageLoadOptions
{
    /// <summary>The first GPA a segment may use: everything below 1 MiB holds the VMM's boot structures (guest-abi.md).</summary>
    public const ulong DefaultLowestAddress = 0x100000;

    /// <summary>Where a flat binary goes unless <c>--load-address</c> says otherwise (guest-abi.md).</summary>
    public const ulong DefaultFlatLoadAddress = 0x100000;

    /// <summary>Forced format (<c>--format</c>), or null to decide by content and name: ELF magic → ELF, name ending in <c>.bin</c> → flat, else refused.</summary>
    public GuestImageFormat? Format { get; init; }

    /// <summary>GPA of a flat binary's first byte, which is also its entry point.</summary>
    public ulong FlatLoadAddress { get; init; } = DefaultFlatLoadAddress;

    /// <summary>Lowest GPA a segment may occupy (inclusive).</summary>
    public ulong LowestAddress { get; init; } = DefaultLowestAddress;

    /// <summary>GPA every segment must end at or below (exclusive limit): RAM size minus the per-VP stacks at the top of RAM.</summary>
    public required ulong HighestAddress { get; init; }
}

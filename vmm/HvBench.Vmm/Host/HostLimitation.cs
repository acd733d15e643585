namespace HvBench.Vmm.Host;

/// <summary>Something that does not work on this host, or works differently than on VT-x/AMD-V, and why.</summary>
/// <param name="What">What a user meets, e.g. "only 4 direct VMCALL sites".</param>
/// <param name="Why">The host fact behind it, naming the capability or measurement.</param>
public sealed record HostLimitation(string What, string Why)
{
    /// <summary><c>What: Why</c>.</summary>
    public override string ToString() => $"{What}: {Why}";
}

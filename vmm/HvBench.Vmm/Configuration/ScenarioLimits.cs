using System.Diagnostics.CodeAnalysis;

namespace HvBench.Vmm.Configuration;

/// <summary>
/// The ranges a scenario's values must lie in (docs/scenario.md, "Limits"). The parser, the JSON Schema test and the
/// command-line flags all check against these numbers.
/// </summary>
public static class ScenarioLimits
{
    /// <summary>Fewest virtual processors per partition.</summary>
    public const int MinVcpus = 1;

    /// <summary>Most virtual processors per partition; the VMM may refuse fewer when <c>KVM_CAP_MAX_VCPUS</c> is lower.</summary>
    public const int MaxVcpus = 1024;

    /// <summary>Smallest guest RAM, in bytes (2 MiB: the first MiB is reserved for boot structures, guest-abi.md).</summary>
    public const ulong MinMemoryBytes = 2UL << 20;

    /// <summary>Largest guest RAM, in bytes (3 GiB: RAM stays inside the 4 GiB identity map and below the LAPIC page at 0xFEE00000).</summary>
    public const ulong MaxMemoryBytes = 3UL << 30;

    /// <summary>Guest RAM is a whole number of these, in bytes (one x86 page, as <c>KVM_SET_USER_MEMORY_REGION</c> requires).</summary>
    public const ulong MemoryGranuleBytes = 4096;

    /// <summary>Shortest run timeout.</summary>
    public static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(1);

    /// <summary>Longest run timeout (24 hours; <c>CancellationTokenSource.CancelAfter</c> takes at most about 24.8 days).</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromHours(24);

    /// <summary>Smallest port id (<c>HV_PORT_ID</c>).</summary>
    public const uint MinPortId = 1;

    /// <summary>Largest port id: <c>HV_PORT_ID</c> has 24 id bits, bits 24..31 are reserved.</summary>
    public const uint MaxPortId = 0xFFFFFF;

    /// <summary>Smallest connection id (<c>HV_CONNECTION_ID</c>).</summary>
    public const uint MinConnectionId = 1;

    /// <summary>Largest connection id: <c>HV_CONNECTION_ID</c> has 24 id bits, bits 24..31 are reserved.</summary>
    public const uint MaxConnectionId = 0xFFFFFF;

    /// <summary>Largest VP index a port may target (a missing VP is allowed and only warned about).</summary>
    public const int MaxTargetVp = int.MaxValue;

    /// <summary><c>HV_ANY_VP</c> as an event port's <c>targetVp</c>: any VP whose SynIC and SIEF page are enabled.</summary>
    public const long AnyVp = 0xFFFFFFFF;

    /// <summary>Number of synthetic interrupt sources per VP (<c>SINT0</c> … <c>SINT15</c>).</summary>
    public const int SintCount = 16;

    /// <summary>Number of event flags per SINT in the SIEF page (256 bytes × 8).</summary>
    public const int FlagsPerSint = 2048;

    /// <summary>Most partitions in one scenario.</summary>
    public const int MaxPartitions = 16;

    /// <summary>Largest scenario file that <see cref="ScenarioParser.Load"/> reads, in bytes.</summary>
    public const int MaxFileBytes = 1 << 20;

    /// <summary>Checks a VP count, giving the problem in the form "0 is out of range 1..1024".</summary>
    public static bool IsValidVcpus(long vcpus, [NotNullWhen(false)] out string? problem)
    {
        problem = vcpus is >= MinVcpus and <= MaxVcpus ? null : $"{vcpus} is out of range {MinVcpus}..{MaxVcpus}";
        return problem is null;
    }

    /// <summary>Checks a RAM size in bytes, giving the problem in the form "1M is out of range 2M..3G".</summary>
    public static bool IsValidMemory(ulong bytes, [NotNullWhen(false)] out string? problem)
    {
        if (bytes is < MinMemoryBytes or > MaxMemoryBytes)
        {
            problem = $"{MemorySize.Format(bytes)} is out of range {MemorySize.Format(MinMemoryBytes)}..{MemorySize.Format(MaxMemoryBytes)}";
        }
        else if (bytes % MemoryGranuleBytes != 0)
        {
            problem = $"{MemorySize.Format(bytes)} is not a multiple of {MemorySize.Format(MemoryGranuleBytes)}";
        }
        else
        {
            problem = null;
        }

        return problem is null;
    }

    /// <summary>Checks a run timeout, giving the problem in the form "0s is out of range 1ms..1440m".</summary>
    public static bool IsValidTimeout(TimeSpan timeout, [NotNullWhen(false)] out string? problem)
    {
        problem = timeout >= MinTimeout && timeout <= MaxTimeout
            ? null
            : $"{Duration.Format(timeout)} is out of range {Duration.Format(MinTimeout)}..{Duration.Format(MaxTimeout)}";
        return problem is null;
    }
}

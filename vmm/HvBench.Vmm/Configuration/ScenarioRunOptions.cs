using HvBench.Vmm.Intercepts;
using HvBench.Vmm.Loaders;
using HvBench.Vmm.Tracing;

namespace HvBench.Vmm.Configuration;

/// <summary>What a run adds to a <see cref="Scenario"/> (<see cref="ScenarioSetup"/>): the image, the command-line
/// overrides of the file's values, and the run's hooks. Null overrides keep the file's values.</summary>
public sealed record ScenarioRunOptions
{
    /// <summary>The run's IMAGE: what every partition without an <c>image</c> of its own boots.</summary>
    public string? ImagePath { get; init; }

    /// <summary>Forced format of <see cref="ImagePath"/> (<c>--format</c>); null decides by content and name. A
    /// partition's own image is always decided by content and name.</summary>
    public GuestImageFormat? ImageFormat { get; init; }

    /// <summary>Where <see cref="ImagePath"/> is loaded when it is a flat binary (<c>--load-address</c>).</summary>
    public ulong FlatLoadAddress { get; init; } = ImageLoadOptions.DefaultFlatLoadAddress;

    /// <summary><c>--vcpus</c>: overrides <c>vcpus</c>; refused with <c>partitions</c>.</summary>
    public int? Vcpus { get; init; }

    /// <summary><c>--memory</c> in bytes: overrides <c>memory</c>; refused with <c>partitions</c>.</summary>
    public ulong? MemoryBytes { get; init; }

    /// <summary><c>--convention</c>: overrides <c>hyperv.convention</c>; refused with <c>partitions</c>.</summary>
    public HypercallConvention? Convention { get; init; }

    /// <summary><c>--status-profile</c>: overrides <c>hyperv.statusProfile</c>, of every partition with <c>partitions</c>.</summary>
    public StatusProfile? StatusProfile { get; init; }

    /// <summary><c>--timeout</c>: overrides <c>timeout</c> (the limit of the whole run, in both forms).</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary><c>--intercept</c>: how VMCALLs are intercepted in every partition.</summary>
    public InterceptKind Intercept { get; init; } = InterceptKind.Auto;

    /// <summary><c>--hypercall-page</c>: what every partition's hypercall page holds (default <c>vmcall; ret</c>).</summary>
    public HypercallPageKind HypercallPage { get; init; } = HypercallPageKind.Vmcall;

    /// <summary>Receives every trace event of every partition; null turns tracing off.</summary>
    public ITraceSink? Trace { get; init; }

    /// <summary>Receives each completed console line with the id of the partition that printed it (on a vCPU thread).</summary>
    public Action<ulong, string>? OnConsoleLine { get; init; }
}

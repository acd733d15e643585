namespace HvBench.Cli.Json;

/// <summary><c>hvbench caps --json</c>: what this host's KVM offers HvBench.</summary>
internal sealed record CapsDocument
{
    /// <summary>The KVM device probed.</summary>
    public required string Device { get; init; }

    /// <summary>KVM_GET_API_VERSION.</summary>
    public required int ApiVersion { get; init; }

    /// <summary>vt-x, amd-v or software.</summary>
    public required string Virtualization { get; init; }

    /// <summary>The KVM vendor module (kvm_intel, kvm_amd, kvm_pvm, …), or null.</summary>
    public required string? KernelModule { get; init; }

    /// <summary>Whether guest CPL 0 is emulated, and the calibration behind the answer.</summary>
    public required Cpl0Document Cpl0 { get; init; }

    /// <summary>KVM_GET_TSC_KHZ, or null.</summary>
    public required int? TscKhz { get; init; }

    /// <summary>Whether guests get RDTSCP, or null when unknown.</summary>
    public required bool? Rdtscp { get; init; }

    /// <summary>Whether the LAPIC keeps ISR set until EOI, as the LAPIC probe guest measured it, or null when it
    /// could not be measured.</summary>
    public required bool? LapicKeepsIsr { get; init; }

    /// <summary>The hypercall intercept HvBench will use.</summary>
    public required InterceptDocument Intercept { get; init; }

    /// <summary>Every capability HvBench asks about, with KVM's value.</summary>
    public required IReadOnlyList<CapabilityDocument> Capabilities { get; init; }

    /// <summary>What will not work here, or works differently than on VT-x/AMD-V, and why.</summary>
    public required IReadOnlyList<LimitationDocument> Limitations { get; init; }
}

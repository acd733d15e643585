using HvBench.Hyperv;
using HvBench.Vmm.Intercepts;
using HvBench.Vmm.Loaders;

namespace HvBench.Vmm;

/// <summary>What to build and run: the image, VPs, RAM, the partition's Hyper-V set-up and the limits of the run.
/// Ports and connections are added to <see cref="Machine.Hyperv"/> after <see cref="Machine.Create"/> (or from a scenario
/// with <see cref="Configuration.ScenarioSetup"/>).</summary>
public sealed class MachineConfig
{
    /// <summary>Default RAM size (scenario.md).</summary>
    public const ulong DefaultMemoryBytes = 64UL << 20;

    /// <summary>The image every VP starts in.</summary>
    public required GuestImage Image { get; init; }

    /// <summary>Number of virtual processors (at least 1).</summary>
    public int VcpuCount { get; init; } = 1;

    /// <summary>Guest RAM in bytes, a multiple of 4 KiB.</summary>
    public ulong MemoryBytes { get; init; } = DefaultMemoryBytes;

    /// <summary>Wall-clock limit of the run.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The Hyper-V partition id (1 for a single-partition run).</summary>
    public ulong PartitionId { get; init; } = 1;

    /// <summary>The hypercall register convention of this partition's guest (guest-abi.md).</summary>
    public HypercallConvention Convention { get; init; } = HypercallConvention.Tlfs;

    /// <summary>Which statuses this partition's hypercalls answer with (scenario.md <c>hyperv.statusProfile</c>).</summary>
    public StatusProfile StatusProfile { get; init; } = StatusProfile.Tlfs;

    /// <summary>The partition privilege mask (scenario.md default: SignalEvents and PostMessages).</summary>
    public PartitionPrivileges Privileges { get; init; } = PartitionPrivileges.SignalEvents | PartitionPrivileges.PostMessages;

    /// <summary>How VMCALLs are intercepted (default: by probing).</summary>
    public InterceptKind Intercept { get; init; } = InterceptKind.Auto;

    /// <summary>What the hypercall page holds (default <c>vmcall; ret</c>; <see cref="HypercallPageKind.Io"/> makes it a
    /// port-I/O exit on <see cref="IoHypercallPage.Port"/>).</summary>
    public HypercallPageKind HypercallPage { get; init; } = HypercallPageKind.Vmcall;

    /// <summary>Receives each line of console text as it completes (on a vCPU thread); null for none.</summary>
    public Action<string>? OnConsoleLine { get; init; }

    /// <summary>Receives every trace event (on the thread where it happened); null turns tracing off at no cost.</summary>
    public Tracing.ITraceSink? Trace { get; init; }

    /// <summary>Checks the values a caller may get wrong; throws <see cref="MachineException"/> naming the field.</summary>
    public void Validate()
    {
        if (VcpuCount < 1) throw new MachineException($"vcpus: {VcpuCount} is out of range 1..");
        if (MemoryBytes < 2UL << 20 || MemoryBytes % 4096 != 0)
            throw new MachineException($"memory: {MemoryBytes} bytes must be at least 2 MiB and a multiple of 4 KiB");
        if (MemoryBytes > 3UL << 30)
            throw new MachineException($"memory: {MemoryBytes >> 20} MiB is more than 3072 MiB (RAM must end below the LAPIC at 0xFEE00000)");
        if (Timeout <= TimeSpan.Zero) throw new MachineException($"timeout: {Timeout} must be positive");
    }
}

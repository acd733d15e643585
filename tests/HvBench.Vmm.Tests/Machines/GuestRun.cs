using HvBench.Tests;
using HvBench.Vmm.Boot;
using HvBench.Vmm.Loaders;

namespace HvBench.Vmm.Tests.Machines;

/// <summary>Boots guest image bytes on a fresh machine and returns the verdict; every run is bounded by
/// its own timeout and by the test's cancellation token.</summary>
internal static class GuestRun
{
    public static GuestImage Parse(byte[] image, ulong memoryBytes, int vcpus, string name = "test.elf") =>
        ImageLoader.Parse(image, name, new ImageLoadOptions { HighestAddress = BootLayout.StacksBottom(memoryBytes, vcpus) });

    public static RunResult Boot(byte[] image, int vcpus = 1, double timeoutSeconds = 20, CancellationToken token = default,
        ulong memoryBytes = 64UL << 20, Action<Machine>? setup = null, HypercallConvention convention = HypercallConvention.Tlfs,
        PartitionPrivileges privileges = PartitionPrivileges.SignalEvents | PartitionPrivileges.PostMessages,
        StatusProfile statusProfile = StatusProfile.Tlfs)
    {
        KvmRequirement.Require();
        var config = new MachineConfig
        {
            Image = Parse(image, memoryBytes, vcpus),
            VcpuCount = vcpus,
            MemoryBytes = memoryBytes,
            Timeout = TimeSpan.FromSeconds(timeoutSeconds),
            Convention = convention,
            StatusProfile = statusProfile,
            Privileges = privileges,
        };
        using var machine = Machine.Create(config);
        setup?.Invoke(machine);
        return machine.Run(token);
    }

    /// <summary>The scenario of examples/signal.json: event port 1 on VP1, SINT2, flags 0..63; connection 7 → port 1.</summary>
    public static void SignalScenario(Machine machine)
    {
        machine.Hyperv.AddEventPort(1, targetVp: 1, targetSint: 2, baseFlagNumber: 0, flagCount: 64);
        machine.Hyperv.AddConnection(7, machine.Hyperv, 1);
    }
}

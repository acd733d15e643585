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

    /// <summary>The ports and connections of <see cref="HvBench.Guest.Images.StatusCodesGuest.PortLayout"/>: port 1 event
    /// VP0 SINT2 (connection 7), port 2 message (8), connection 9 to a missing port, port 3 event on VP5, which does not
    /// exist (10), port 4 event VP0 SINT3, which stays masked (11).</summary>
    public static void StatusScenario(Machine machine)
    {
        Partition p = machine.Hyperv;
        p.AddEventPort(1, targetVp: 0, targetSint: 2, baseFlagNumber: 0, flagCount: 64);
        p.AddMessagePort(2, targetVp: 0, targetSint: 3);
        p.AddEventPort(3, targetVp: 5, targetSint: 2, baseFlagNumber: 0, flagCount: 64);
        p.AddEventPort(4, targetVp: 0, targetSint: 3, baseFlagNumber: 0, flagCount: 64);
        p.AddConnection(7, p, 1);
        p.AddConnection(8, p, 2);
        p.AddConnection(9, p, 77);
        p.AddConnection(10, p, 3);
        p.AddConnection(11, p, 4);
    }
}

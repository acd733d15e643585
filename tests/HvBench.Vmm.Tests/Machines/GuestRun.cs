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
        ulong memoryBytes = 64UL << 20)
    {
        KvmRequirement.Require();
        var config = new MachineConfig
        {
            Image = Parse(image, memoryBytes, vcpus),
            VcpuCount = vcpus,
            MemoryBytes = memoryBytes,
            Timeout = TimeSpan.FromSeconds(timeoutSeconds),
        };
        using var machine = Machine.Create(config);
        return machine.Run(token);
    }
}

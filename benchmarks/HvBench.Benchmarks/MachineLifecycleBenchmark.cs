using BenchmarkDotNet.Attributes;
using HvBench.Kvm;
using HvBench.Vmm;
using HvBench.Vmm.Boot;
using HvBench.Vmm.Loaders;

namespace HvBench.Benchmarks;

/// <summary>Create + boot + teardown of a trivial guest inside one process: <see cref="Machine.Create"/> (VM, RAM,
/// LAPIC, vCPU, boot state, Hyper-V wiring), <see cref="Machine.Run"/> of <c>images/hello.elf</c> on one VP until it
/// writes the exit port, and <see cref="Machine.Dispose"/>. Needs /dev/kvm; <c>/dev/kvm</c> itself is opened once.</summary>
[MemoryDiagnoser]
public class MachineLifecycleBenchmark
{
    private KvmSystem _kvm = null!;
    private GuestImage _hello = null!;

    /// <summary>Opens /dev/kvm and loads the image once.</summary>
    [GlobalSetup]
    public void SetUp()
    {
        _kvm = KvmSystem.Open();
        string path = FindImage("hello.elf");
        _hello = ImageLoader.Load(path, new ImageLoadOptions { HighestAddress = BootLayout.StacksBottom(MachineConfig.DefaultMemoryBytes, 1) });
    }

    /// <summary>Closes /dev/kvm.</summary>
    [GlobalCleanup]
    public void CleanUp() => _kvm.Dispose();

    /// <summary>One whole machine lifetime.</summary>
    [Benchmark]
    public bool CreateBootTeardownHello()
    {
        using var machine = Machine.Create(new MachineConfig { Image = _hello, VcpuCount = 1 }, _kvm);
        RunResult result = machine.Run();
        return result.Passed ? true : throw new InvalidOperationException(result.Verdict);
    }

    private static string FindImage(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "images", name);
            if (File.Exists(Path.Combine(dir.FullName, "HvBench.sln")) && File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"images/{name} not found above {AppContext.BaseDirectory}");
    }
}

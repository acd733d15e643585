using System.Diagnostics;
using HvBench.Guest;
using HvBench.Tests;
using HvBench.Vmm.Tests.Machines;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Vmm.Tests.Hostile;

/// <summary>1,000 create → boot → run → destroy cycles of images/hello.elf on two VPs in one process (each opening and
/// closing /dev/kvm as `hvbench run` does), and 100 runs of a spinning guest cancelled from another thread: afterwards
/// the process holds the same file descriptors and threads, and within the margins the same resident and virtual
/// memory and number of mappings, as after the warm-up. <c>HVBENCH_SOAK_CYCLES</c> sets the number of cycles for a soak run (docs/reliability.md).</summary>
[TestFixture, Category("Kvm")]
public sealed class AThousandMachinesInOneProcess
{
    /// <summary>Margins: no file descriptor; two threads (the runtime's own pools may grow or retire one); 32 MiB of
    /// resident memory (the GC keeps freed segments a while), which catches touched memory leaking at more than
    /// 32 KiB per cycle over 1,000 cycles, but not a leaked guest RAM: it is mapped MAP_NORESERVE, so only the pages the
    /// guest touched count (hello.elf touches well under a MiB). Mappings catch that: 32 MiB of virtual memory (VmSize),
    /// which one leaked 64 MiB guest RAM exceeds by itself, and 64 lines of /proc/self/maps, which one leaked mapping per
    /// cycle (guest RAM or a vCPU's kvm_run page) exceeds after 65 cycles wherever the kernel did not merge it with a
    /// neighbour. The two extra threads the thread margin allows fit both: here each adds its 8 MiB stack to VmSize and
    /// about nine lines to the maps (100 cancelled runs with two more pool threads: +16 MiB, +18 lines).</summary>
    public const int FdMargin = 0, ThreadMargin = 2, RssMarginMiB = 32, VirtualMarginMiB = 32, MappingMargin = 64;
    private const int WarmUpCycles = 20, CancelledRuns = 100;
    private static readonly TimeSpan WarmUpTime = TimeSpan.FromSeconds(2);

    [Test, CancelAfter(1_800_000)]
    public void LeaveFileDescriptorsThreadsAndResidentMemoryWhereTheyWere(CancellationToken token)
    {
        int cycles = int.TryParse(Environment.GetEnvironmentVariable("HVBENCH_SOAK_CYCLES"), out int soak) && soak > 0 ? soak : 1000;
        KvmRequirement.Require();
        byte[] hello = File.ReadAllBytes(Path.Combine(RepositoryPaths.Images, "hello.elf"));
        void Cycle(int i)
        {
            RunResult result = GuestRun.Boot(hello, vcpus: 2, timeoutSeconds: 10, token: token);
            if (!result.Passed) Assert.Fail($"cycle {i}: {HostileGuests.Describe(result)}");
        }

        WarmUp(Cycle);
        int kvmFdsDuringARun = 0;
        GuestRun.Boot(hello, vcpus: 2, timeoutSeconds: 10, token: token, setup: _ => kvmFdsDuringARun = ProcessHealth.Now().KvmFileDescriptors);
        Assert.That(kvmFdsDuringARun, Is.EqualTo(4), "/dev/kvm, the VM and two vCPUs while a machine exists: the count sees them");
        ProcessHealth before = ProcessHealth.Now();
        string[] fdsBefore = ProcessHealth.DescribeFileDescriptors();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < cycles; i++) Cycle(i);
        clock.Stop();
        ProcessHealth after = ProcessHealth.Now();
        TestContext.Out.WriteLine($"{cycles:N0} cycles in {clock.Elapsed.TotalSeconds:0.0} s ({clock.Elapsed.TotalMilliseconds / cycles:0.0} ms each); " +
            $"before: {before}; after: {after}");
        AssertWithinMargins(before, after, fdsBefore);
    }

    [Test, CancelAfter(300_000)]
    public void ARunCancelledFromAnotherThreadTearsDownCompletely(CancellationToken token)
    {
        KvmRequirement.Require();
        byte[] spin = Spinner();
        void Cycle(int i)
        {
            // Cancelled from a thread-pool timer once both VPs spin.
            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(token);
            cancel.CancelAfter(TimeSpan.FromMilliseconds(30));
            RunResult result = GuestRun.Boot(spin, vcpus: 2, timeoutSeconds: 10, token: cancel.Token);
            if (result.Outcome != RunOutcome.Cancelled || result.Registers.Count != 2)
                Assert.Fail($"run {i}: {result.Verdict}, {result.Registers.Count} VPs' registers (a cancelled run reports every VP)");
        }

        WarmUp(Cycle);
        ProcessHealth before = ProcessHealth.Now();
        string[] fdsBefore = ProcessHealth.DescribeFileDescriptors();
        for (int i = 0; i < CancelledRuns; i++) Cycle(i);
        ProcessHealth after = ProcessHealth.Now();
        TestContext.Out.WriteLine($"{CancelledRuns} cancelled runs; before: {before}; after: {after}");
        AssertWithinMargins(before, after, fdsBefore);
    }

    /// <summary>At least <see cref="WarmUpCycles"/> cycles and <see cref="WarmUpTime"/>: the runtime's tiered JIT
    /// recompiles hot methods a while after their first calls, and its code and data heaps add mappings when it does;
    /// a machine's lifetime is short enough (about 3 ms) that a warm-up counted in cycles alone ends before that.</summary>
    private static void WarmUp(Action<int> cycle)
    {
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < WarmUpCycles || clock.Elapsed < WarmUpTime; i++) cycle(i);
    }

    private static byte[] Spinner()
    {
        var g = new GuestBuilder();
        var spin = g.Function("spin");
        g.Bind(ref spin);
        g.Asm.jmp(spin);
        return g.BuildElf();
    }

    private static void AssertWithinMargins(ProcessHealth before, ProcessHealth after, string[] fdsBefore)
    {
        Assert.Multiple(() =>
        {
            Assert.That(after.FileDescriptors, Is.LessThanOrEqualTo(before.FileDescriptors + FdMargin),
                $"open file descriptors; new ones: {string.Join(", ", ProcessHealth.DescribeFileDescriptors().Except(fdsBefore))}");
            Assert.That(after.KvmFileDescriptors, Is.Zero, "no KVM file descriptor stays open");
            Assert.That(after.Threads, Is.LessThanOrEqualTo(before.Threads + ThreadMargin), "threads");
            Assert.That(after.ResidentKiB, Is.LessThanOrEqualTo(before.ResidentKiB + RssMarginMiB * 1024), "resident memory (KiB)");
            Assert.That(after.VirtualKiB, Is.LessThanOrEqualTo(before.VirtualKiB + VirtualMarginMiB * 1024), "virtual memory, VmSize (KiB)");
            Assert.That(after.Mappings, Is.LessThanOrEqualTo(before.Mappings + MappingMargin), "lines of /proc/self/maps");
        });
    }
}

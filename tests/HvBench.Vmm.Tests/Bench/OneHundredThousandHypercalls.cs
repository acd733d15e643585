using HvBench.Bench;
using HvBench.Guest.Images.Bench;
using HvBench.Guest.Runtime;
using HvBench.Vmm.Intercepts;
using HvBench.Tests;
using HvBench.Vmm.Tests.Machines;

namespace HvBench.Vmm.Tests.Bench;

/// <summary>VP0 makes over 100,000 hypercalls (null calls, signals to a set flag, signals that raise a SINT, posted
/// messages) through the hypercall page: its vCPU thread allocates nothing after warm-up, with either page.</summary>
[TestFixture, Category("Kvm")]
public sealed class OneHundredThousandHypercalls
{
    private static readonly BenchGuestPlan s_plan = new()
    {
        Steps =
        [
            new BenchStep(BenchStepKind.NullHypercall),
            new BenchStep(BenchStepKind.SignalAlreadySet),
            new BenchStep(BenchStepKind.SignalRoundTrip),
            new BenchStep(BenchStepKind.PostMessage),
        ],
        Iterations = 25_000,
        Warmup = 10,
    };

    [TestCase(HypercallPageKind.Vmcall, TestName = "AllocateNothingOnTheVcpuThreadThroughTheVmcallPage")]
    [TestCase(HypercallPageKind.Io, TestName = "AllocateNothingOnTheVcpuThreadThroughTheIoPortPage")]
    [CancelAfter(240_000)]
    public void Run(HypercallPageKind page, CancellationToken token)
    {
        KvmRequirement.Require();
        var config = new MachineConfig
        {
            Image = GuestRun.Parse(BenchGuest.Build(s_plan), 64UL << 20, 2),
            VcpuCount = 2,
            Timeout = TimeSpan.FromSeconds(220),
            HypercallPage = page,
        };
        using var machine = Machine.Create(config);
        BenchRunner.AddPortsAndConnections(machine.Hyperv);
        RunResult result = machine.Run(token);

        Assert.That(result.Verdict, Is.EqualTo("PASS"), result.ConsoleText);
        int perStep = s_plan.SamplesPerSeries;
        Assert.That(result.Statistics.HypercallsByStatus["HV_STATUS_INVALID_HYPERCALL_CODE"], Is.EqualTo(perStep + 1), "each step's iterations and its prepass call");
        Assert.That(result.Statistics.HypercallsByStatus["HV_STATUS_SUCCESS"], Is.EqualTo(3 * (perStep + 1)));
        Assert.That(result.Statistics.Hypercalls, Is.GreaterThanOrEqualTo(100_000));
        Assert.That(result.Statistics.SintsAsserted, Is.EqualTo(2 * (perStep + 1) + 1),
            "each consumed signal and message, and the set flag's first signal");
        Assert.That(result.Statistics.SteadyStateAllocatedBytes[0], Is.Zero,
            "bytes VP0's vCPU thread allocated in the exit loop after its first 1000 exits (GC.GetAllocatedBytesForCurrentThread)");
        if (page == HypercallPageKind.Io)
            Assert.That(result.Statistics.Total(HvBench.Kvm.VcpuExitReason.Debug), Is.Zero, "the I/O page needs no breakpoint");
        TestContext.Out.WriteLine($"{result.Statistics.Hypercalls} hypercalls through the {page} page in {result.Elapsed.TotalSeconds:0.0} s");
    }
}

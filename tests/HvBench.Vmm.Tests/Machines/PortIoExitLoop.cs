using HvBench.Guest.Images;
using HvBench.Kvm;

namespace HvBench.Vmm.Tests.Machines;

[TestFixture, Category("Kvm")]
public sealed class OneHundredThousandPortIoExits
{
    private const int Exits = 100_000;

    [Test, CancelAfter(120_000)]
    public void AllocateNothingOnTheVcpuThreadAndAreAllTimedByTheGuest(CancellationToken token)
    {
        RunResult result = GuestRun.Boot(PortIoLatencyGuest.Build(Exits), timeoutSeconds: 100, token: token);
        Assert.That(result.Passed, Is.True, result.Verdict);
        Assert.That(result.Statistics.Total(VcpuExitReason.Io), Is.GreaterThanOrEqualTo(Exits));
        Assert.That(result.Statistics.SteadyStateAllocatedBytes[0], Is.Zero, "bytes allocated by the exit loop after warm-up");
        Assert.That(result.Results, Is.Not.Null);
        ulong[] samples = result.Results!.Samples;
        Assert.That(samples, Has.Length.EqualTo(Exits));
        Array.Sort(samples);
        TestContext.Out.WriteLine($"port-I/O exit round trip, {Exits} samples: median {samples[Exits / 2]} cycles, " +
            $"p99 {samples[Exits * 99 / 100]} cycles, run {result.Elapsed.TotalSeconds:0.0} s");
        Assert.That(samples[0], Is.GreaterThan(0UL));
    }
}

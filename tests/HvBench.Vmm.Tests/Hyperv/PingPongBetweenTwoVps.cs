using HvBench.Guest.Images;
using HvBench.Vmm.Tests.Machines;

namespace HvBench.Vmm.Tests.Hyperv;

/// <summary>Two VPs signal each other 100,000 times: every signal arrives exactly once, and the host's counts match
/// the guest's.</summary>
[TestFixture, Category("Kvm")]
public sealed class PingPongBetweenTwoVps
{
    private const int Rounds = 50_000; // two signals per round

    /// <summary>Port 1 → VP1 SINT2 (connection 7), port 2 → VP0 SINT2 (connection 8).</summary>
    public static void PingPongScenario(Machine machine)
    {
        machine.Hyperv.AddEventPort(1, targetVp: 1, targetSint: 2, baseFlagNumber: 0, flagCount: 1);
        machine.Hyperv.AddEventPort(2, targetVp: 0, targetSint: 2, baseFlagNumber: 0, flagCount: 1);
        machine.Hyperv.AddConnection(7, machine.Hyperv, 1);
        machine.Hyperv.AddConnection(8, machine.Hyperv, 2);
    }

    [TestCase(false, TestName = "LosesNoSignalAndTheCountsMatch")]
    [TestCase(true, TestName = "LosesNoSignalWithAutoEoiSintsWhoseHandlersNeverEoi")]
    [CancelAfter(300_000), Category("Slow")]
    public void Run(bool autoEoi, CancellationToken token)
    {
        RunResult result = GuestRun.Boot(PingPongGuest.Build(Rounds, autoEoi), vcpus: 2, timeoutSeconds: 280, token: token, setup: PingPongScenario);
        Assert.That(result.Verdict, Is.EqualTo("PASS"), result.ConsoleText + string.Join("\n", result.Registers.Select(r => r.Format())) + string.Join(",", result.Results?.Counters ?? []));
        ulong[] counters = result.Results!.Counters;
        Assert.That(counters[PingPongGuest.PingsCounter], Is.EqualTo((ulong)Rounds));
        Assert.That(counters[PingPongGuest.PongsCounter], Is.EqualTo((ulong)Rounds));
        Assert.That(result.Statistics.HypercallsByStatus["HV_STATUS_SUCCESS"], Is.EqualTo(2 * Rounds));
        Assert.That(result.Statistics.SintsAsserted, Is.EqualTo(2 * Rounds), "each signal went 0→1 and asserted its SINT");
        Assert.That(result.Statistics.SintsNotDelivered, Is.Zero);
        Assert.That(result.Statistics.SteadyStateAllocatedBytes, Is.EqualTo(new long[] { 0, 0 }),
            "bytes the vCPU threads allocated over the hypercall, MSR-free signal path after warm-up");

        ulong[] samples = result.Results.Samples;
        ulong[] roundTrip = [.. samples.Where((_, i) => i % 2 == 0).Order()];
        ulong[] oneWay = [.. samples.Where((_, i) => i % 2 == 1).Order()];
        TestContext.Out.WriteLine($"{(autoEoi ? "auto-EOI: " : "")}{Rounds} rounds in {result.Elapsed.TotalSeconds:0.0} s; HvSignalEvent round trip median {roundTrip[Rounds / 2]} " +
            $"p99 {roundTrip[Rounds * 99 / 100]} cycles; VP0 VMCALL → VP1 handler median {oneWay[Rounds / 2]} p99 {oneWay[Rounds * 99 / 100]} cycles");
    }
}

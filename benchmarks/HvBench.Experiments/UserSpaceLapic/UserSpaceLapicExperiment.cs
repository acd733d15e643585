using System.Globalization;
using HvBench.Bench;
using HvBench.Kvm;

namespace HvBench.Experiments.UserSpaceLapic;

/// <summary><c>user-space-lapic</c>: the same two-VP ping-pong guest over the in-kernel LAPIC (with and without
/// HvBench's ISR clearing) and over a user-space LAPIC, runs alternating, one table per run and a summary.</summary>
public static class UserSpaceLapicExperiment
{
    /// <summary>Runs the experiment and prints to <paramref name="output"/>; returns the process exit code.</summary>
    public static int Run(IReadOnlyList<SignalPath> paths, int runs, int warmup, int rounds, TextWriter output)
    {
        var results = new List<PingPongResult>();
        output.WriteLine($"user-space LAPIC experiment: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load {LoadAverage()}, " +
            $"{runs} run(s) of each path alternating, {warmup} warm-up + {rounds} measured rounds each");
        for (int run = 1; run <= runs; run++)
        {
            foreach (SignalPath path in paths)
            {
                PingPongResult result = PingPongRun.Measure(path, warmup, rounds, TimeSpan.FromSeconds(10 + (warmup + rounds) / 2000));
                Check(result, rounds);
                results.Add(result);
                output.WriteLine();
                output.WriteLine($"run {run}, {Describe(path)}: {result.Elapsed.TotalSeconds:0.00} s, load {LoadAverage()}, TSC {result.TscKhz} kHz");
                Print(result, output);
            }
        }
        output.WriteLine();
        output.WriteLine("summary (median / p99, µs): path | one-way | round trip");
        foreach (PingPongResult r in results)
        {
            double us = 1000.0 / r.TscKhz;
            LatencyStatistics oneWay = Stats(r.OneWayCycles).Scale(us), roundTrip = Stats(r.RoundTripCycles).Scale(us);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {r.Path,-18} | {oneWay.Median,7:0.00} / {oneWay.P99,7:0.00} | {roundTrip.Median,7:0.00} / {roundTrip.P99,7:0.00}"));
        }
        return 0;
    }

    /// <summary>Throws unless every round was acknowledged, every sample is positive and VP1 saw APIC id 1.</summary>
    public static void Check(PingPongResult result, int rounds)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Acknowledged != result.TotalRounds) throw new InvalidOperationException($"{result.Path}: VP1 acknowledged {result.Acknowledged} of {result.TotalRounds} rounds");
        if (result.ApicIdSeenByVp1 >> 24 != 1) throw new InvalidOperationException($"{result.Path}: VP1 read APIC id register 0x{result.ApicIdSeenByVp1:x8}");
        if (result.OneWayCycles.Length != rounds || result.RoundTripCycles.Length != rounds) throw new InvalidOperationException($"{result.Path}: wrong sample count");
        foreach (ulong s in result.OneWayCycles) if (s == 0 || s > long.MaxValue) throw new InvalidOperationException($"{result.Path}: one-way sample {(long)s}");
        foreach (ulong s in result.RoundTripCycles) if (s == 0 || s > long.MaxValue) throw new InvalidOperationException($"{result.Path}: round-trip sample {(long)s}");
    }

    private static string Describe(SignalPath path) => path switch
    {
        SignalPath.InKernel => "A, in-kernel LAPIC, KVM_SIGNAL_MSI",
        SignalPath.InKernelIsrClear => "A + ISR route (kick, KVM_GET_LAPIC, KVM_SET_LAPIC only if ISR set)",
        SignalPath.InKernelIsrRewrite => "A + ISR route with KVM_SET_LAPIC after every KVM_GET_LAPIC (its price where ISR is kept)",
        _ => "B, user-space LAPIC, KVM_INTERRUPT",
    };

    private static LatencyStatistics Stats(ulong[] cycles)
    {
        var values = new double[cycles.Length];
        for (int i = 0; i < cycles.Length; i++) values[i] = cycles[i];
        return LatencyStatistics.Of(values);
    }

    private static void Print(PingPongResult r, TextWriter output)
    {
        double us = 1000.0 / r.TscKhz;
        foreach (var (name, cycles) in new[] { ("one-way VP0 doorbell → VP1 handler", r.OneWayCycles), ("round trip VP0 doorbell → ack seen", r.RoundTripCycles) })
        {
            LatencyStatistics c = Stats(cycles);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name}: median {c.Median:0} / p90 {c.P90:0} / p99 {c.P99:0} cycles = {c.Median * us:0.00} / {c.P90 * us:0.00} / {c.P99 * us:0.00} µs"));
        }
        for (int vp = 0; vp < 2; vp++)
        {
            var parts = new List<string>();
            for (int slot = 0; slot < r.ExitsByVp[vp].Length; slot++)
            {
                long n = r.ExitsByVp[vp][slot];
                if (n == 0) continue;
                VcpuExitReason reason = slot == PingPongResult.InterruptedSlot ? VcpuExitReason.Interrupted : (VcpuExitReason)slot;
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{reason} {(double)n / r.TotalRounds:0.000}"));
            }
            output.WriteLine($"  VP{vp} user-space exits per round: {(parts.Count == 0 ? "none" : string.Join(", ", parts))}");
        }
        if (r.GetLapicCalls > 0)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  KVM_GET_LAPIC {(double)r.GetLapicCalls / r.TotalRounds:0.000}/round, KVM_SET_LAPIC {(double)r.SetLapicCalls / r.TotalRounds:0.000}/round, ISR found set {r.IsrBitsFoundSet}, vector still in IRR (not yet taken) {r.StillRequestedWhenRead}, {r.LapicIoctlMicroseconds / r.GetLapicCalls:0.00} µs per service"));
        if (r.Path == SignalPath.UserSpace)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  KVM_INTERRUPT {(double)r.Injected / r.TotalRounds:0.000}/round, window requests {r.WindowRequests}, waits for a vector after HLT {(double)r.Blocks / r.TotalRounds:0.000}/round, kicks {r.Kicks}"));
    }

    private static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "?"; }
    }
}

using HvBench.Guest.Runtime;

namespace HvBench.Guest.Images.Bench;

/// <summary>What a bench guest runs: its steps in order, each with <see cref="Warmup"/> + <see cref="Iterations"/>
/// iterations, and the register convention of its hypercalls. The host reads the samples back by the same plan: series
/// <c>s</c> holds <see cref="SamplesPerSeries"/> samples (warm-up first) at sample index <c>s × SamplesPerSeries</c>.</summary>
public sealed record BenchGuestPlan
{
    /// <summary>The steps, in the order VP0 runs them.</summary>
    public required IReadOnlyList<BenchStep> Steps { get; init; }

    /// <summary>Measured iterations per step (at least 1).</summary>
    public required int Iterations { get; init; }

    /// <summary>Iterations run before the measured ones, per step; their samples are kept first in each series.</summary>
    public required int Warmup { get; init; }

    /// <summary>The register convention of the hypercalls (the partition's).</summary>
    public Convention Convention { get; init; } = Convention.Tlfs;

    /// <summary>Samples per series: warm-up and measured.</summary>
    public int SamplesPerSeries => Warmup + Iterations;

    /// <summary>Series over all steps.</summary>
    public int SeriesCount => Steps.Sum(s => s.SeriesCount);

    /// <summary>Index of the first series of step <paramref name="step"/>.</summary>
    public int FirstSeries(int step)
    {
        int series = 0;
        for (int i = 0; i < step; i++) series += Steps[i].SeriesCount;
        return series;
    }

    /// <summary>Checks the plan; throws <see cref="ArgumentException"/> naming the problem.</summary>
    public void Validate()
    {
        if (Steps.Count == 0) throw new ArgumentException("a bench plan needs at least one step");
        if (Iterations < 1) throw new ArgumentException($"iterations: {Iterations} must be at least 1");
        if (Warmup < 1) throw new ArgumentException($"warmup: {Warmup} must be at least 1 (the already-set step's first signal sets the flag)");
        if ((long)SamplesPerSeries * SeriesCount > 8_000_000) throw new ArgumentException("more than 8,000,000 samples do not fit a bench guest's 64 MiB");
        if (Steps.Count(s => s.Kind == BenchStepKind.SignalThroughput) > 1) throw new ArgumentException("at most one throughput step per plan");
        if (Convention == Convention.Rax && Steps.Any(s => s.Kind == BenchStepKind.PostMessage))
            throw new ArgumentException("HvPostMessage is timed in the tlfs convention only");
    }
}

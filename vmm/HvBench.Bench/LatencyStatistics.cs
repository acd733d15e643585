using Perfolizer.Mathematics.QuantileEstimators;
using Pragmastat;

namespace HvBench.Bench;

/// <summary>A latency distribution's summary: minimum, median, p90, p99, p99.9, maximum and mean. Quantiles come from
/// Perfolizer's Hyndman–Fan type 7 estimator (linear interpolation between order statistics, R's and NumPy's default).</summary>
public sealed record LatencyStatistics(double Min, double Median, double P90, double P99, double P999, double Max, double Mean)
{
    private static readonly Probability[] s_probabilities = Probability.ToProbabilities([0.5, 0.9, 0.99, 0.999]);

    /// <summary>The summary of <paramref name="values"/> (at least one).</summary>
    public static LatencyStatistics Of(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) throw new ArgumentException("no samples", nameof(values));
        double[] q = HyndmanFanQuantileEstimator.Type7.Quantiles(new Sample([.. values]), s_probabilities);
        double min = double.MaxValue, max = double.MinValue, sum = 0;
        foreach (double v in values)
        {
            if (v < min) min = v;
            if (v > max) max = v;
            sum += v;
        }
        return new LatencyStatistics(min, q[0], q[1], q[2], q[3], max, sum / values.Count);
    }

    /// <summary>Every value multiplied by <paramref name="factor"/> (cycles to nanoseconds).</summary>
    public LatencyStatistics Scale(double factor) =>
        new(Min * factor, Median * factor, P90 * factor, P99 * factor, P999 * factor, Max * factor, Mean * factor);
}

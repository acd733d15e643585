using System.Globalization;
using System.Text;
using HvBench.Bench.Reports;

namespace HvBench.Bench.Output;

/// <summary>CSV files of a run: <c>figures.csv</c> (one row per figure) and <c>samples/ID.csv</c> (every measured sample).</summary>
public static class BenchCsv
{
    /// <summary>The summary, one row per figure; times in cycles and nanoseconds.</summary>
    public static string Figures(BenchReport report)
    {
        var text = new StringBuilder();
        text.Append("id,title,machine,floor,floor_relation,samples");
        foreach (string unit in new[] { "cycles", "ns" })
            foreach (string stat in new[] { "min", "median", "p90", "p99", "p999", "max", "mean" })
                text.Append(CultureInfo.InvariantCulture, $",{stat}_{unit}");
        text.Append(",ratio_to_floor,above_floor_ns,signals_per_second,interrupts_per_second\n");
        foreach (BenchFigureDocument f in report.Figures)
        {
            text.Append(CultureInfo.InvariantCulture, $"{f.Id},{Quote(f.Title)},{f.Machine},{f.Floor},{f.FloorRelation},{f.Samples}");
            foreach (LatencyStatistics s in new[] { f.Cycles, f.Nanoseconds })
                foreach (double v in new[] { s.Min, s.Median, s.P90, s.P99, s.P999, s.Max, s.Mean })
                    text.Append(CultureInfo.InvariantCulture, $",{v}");
            text.Append(CultureInfo.InvariantCulture, $",{f.RatioToFloor},{f.AboveFloorNs},{f.Throughput?.SignalsPerSecond},{f.Throughput?.InterruptsPerSecond}\n");
        }
        return text.ToString();
    }

    /// <summary>One figure's samples: <c>cycles,ns</c> per line, in measurement order.</summary>
    public static string Samples(double[] cycles, int tscKhz)
    {
        var text = new StringBuilder(cycles.Length * 16);
        text.Append("cycles,ns\n");
        double nsPerCycle = 1e6 / tscKhz;
        foreach (double c in cycles) text.Append(CultureInfo.InvariantCulture, $"{c},{Math.Round(c * nsPerCycle, 1)}\n");
        return text.ToString();
    }

    private static string Quote(string value) => value.Contains(',') || value.Contains('"') ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
}

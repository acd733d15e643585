using System.Globalization;
using System.Text;
using HvBench.Bench.Reports;

namespace HvBench.Bench.Output;

/// <summary>CSV files of a run: <c>figures.csv</c> (one row per figure) and <c>samples/ID.csv</c> (every measured sample).</summary>
public static class BenchCsv
{
    /// <summary>The columns after the figures' own that say what the run was, the same in every row.</summary>
    public static IReadOnlyList<string> RunColumns { get; } =
    [
        "date", "hvbench_version", "hvbench_commit", "cpu_model", "cpus", "kernel", "kvm_flavour", "cpl0", "hardware_accurate",
        "tsc_khz", "intercept", "iterations", "warmup", "load_average_start", "load_average_end",
    ];

    /// <summary>The summary, one row per figure; times in cycles and nanoseconds; then <see cref="RunColumns"/>.</summary>
    /// <remarks>What the run was is repeated in every row rather than put in <c>#</c> comment lines or a second file:
    /// every CSV reader takes plain columns (Excel, LibreOffice, <c>csv</c> modules, pandas without options), while
    /// comment lines break the ones without a comment option, a sidecar is easily left behind when the file is copied,
    /// and rows of several runs concatenated still say which run each came from.</remarks>
    public static string Figures(BenchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        text.Append("id,title,machine,floor,floor_relation,samples");
        foreach (string unit in new[] { "cycles", "ns" })
            foreach (string stat in new[] { "min", "median", "p90", "p99", "p999", "max", "mean" })
                text.Append(CultureInfo.InvariantCulture, $",{stat}_{unit}");
        text.Append(",ratio_to_floor,above_floor_ns,signals_per_second,interrupts_per_second");
        foreach (string column in RunColumns) text.Append(',').Append(column);
        text.Append('\n');
        BenchHostDocument host = report.Host;
        string run = string.Join(',',
            report.Date, Quote(report.HvBench.Version), Quote(report.HvBench.Commit ?? ""), Quote(host.CpuModel),
            host.Cpus.ToString(CultureInfo.InvariantCulture), Quote(host.Kernel), Quote(host.KvmFlavour),
            host.Cpl0Emulated switch { true => "emulated", false => "native", null => "unknown" },
            host.HardwareAccurate ? "true" : "false", host.TscKhz.ToString(CultureInfo.InvariantCulture), host.Intercept,
            report.Settings.Iterations.ToString(CultureInfo.InvariantCulture), report.Settings.Warmup.ToString(CultureInfo.InvariantCulture),
            host.LoadAverageBefore.ToString(CultureInfo.InvariantCulture), host.LoadAverageAfter?.ToString(CultureInfo.InvariantCulture) ?? "");
        foreach (BenchFigureDocument f in report.Figures)
        {
            text.Append(CultureInfo.InvariantCulture, $"{f.Id},{Quote(f.Title)},{f.Machine},{f.Floor},{f.FloorRelation},{f.Samples}");
            foreach (LatencyStatistics s in new[] { f.Cycles, f.Nanoseconds })
                foreach (double v in new[] { s.Min, s.Median, s.P90, s.P99, s.P999, s.Max, s.Mean })
                    text.Append(CultureInfo.InvariantCulture, $",{v}");
            text.Append(CultureInfo.InvariantCulture, $",{f.RatioToFloor},{f.AboveFloorNs},{f.Throughput?.SignalsPerSecond},{f.Throughput?.InterruptsPerSecond},{run}\n");
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

    /// <summary>RFC 4180 quoting, for fields that hold a comma, a quote or a line break.</summary>
    public static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
}

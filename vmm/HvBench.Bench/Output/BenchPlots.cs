using System.Globalization;
using HvBench.Bench.Reports;
using ScottPlot;

namespace HvBench.Bench.Output;

/// <summary>PNG plots of a run (ScottPlot): for each figure, the cumulative distribution of its latency with its floors
/// (floor, floor's floor, …) drawn in the same picture, so the share of each layer shows. The latency axis is
/// logarithmic: the timing overhead, the medians and millisecond tails all stay readable in one picture.</summary>
public static class BenchPlots
{
    private const int Width = 1000, Height = 600, Points = 1000;

    private static readonly Color[] s_colors =
        [Colors.Black, Colors.Blue, Colors.OrangeRed, Colors.Green, Colors.Purple, Colors.Brown];

    /// <summary>Writes <c>ID.png</c> for every figure of <paramref name="run"/> into <paramref name="directory"/>; returns the paths.</summary>
    public static IReadOnlyList<string> WriteAll(BenchRun run, string directory)
    {
        Directory.CreateDirectory(directory);
        var byId = run.Report.Figures.ToDictionary(f => f.Id);
        var paths = new List<string>();
        foreach (BenchFigureDocument figure in run.Report.Figures)
        {
            string path = Path.Combine(directory, figure.Id + ".png");
            Write(run, figure, byId, path);
            paths.Add(path);
        }
        return paths;
    }

    private static void Write(BenchRun run, BenchFigureDocument figure, IReadOnlyDictionary<string, BenchFigureDocument> byId, string path)
    {
        double usPerCycle = 1e3 / run.Report.Host.TscKhz;
        var chain = new List<BenchFigureDocument>();
        for (BenchFigureDocument? f = figure; f is not null && chain.Count < s_colors.Length; f = f.Floor is { } floor ? byId.GetValueOrDefault(floor) : null)
            chain.Add(f);

        var plot = new Plot();
        double left = double.MaxValue, right = double.MinValue;
        for (int i = 0; i < chain.Count; i++)
        {
            BenchFigureDocument f = chain[i];
            if (!run.Samples.TryGetValue(f.Id, out double[]? cycles) || cycles.Length == 0) continue;
            double[] sorted = [.. cycles.Select(c => c * usPerCycle).Order()];
            int points = Math.Min(Points, sorted.Length);
            double[] xs = new double[points], ys = new double[points];
            for (int k = 0; k < points; k++)
            {
                double p = points == 1 ? 1 : (double)k / (points - 1);
                xs[k] = Math.Log10(Math.Max(sorted[(int)Math.Round(p * (sorted.Length - 1))], 1e-3));
                ys[k] = p;
            }
            var line = plot.Add.Scatter(xs, ys);
            line.Color = s_colors[i];
            line.MarkerSize = 0;
            line.LineWidth = i == 0 ? 2.5f : 1.5f;
            line.LegendText = string.Create(CultureInfo.InvariantCulture,
                $"{(i == 0 ? "" : i == 1 ? "floor: " : "floor of floor: ")}{f.Id}  (median {f.Nanoseconds.Median / 1000:0.00} us, p99 {f.Nanoseconds.P99 / 1000:0.00} us)");
            var median = plot.Add.VerticalLine(Math.Log10(f.Nanoseconds.Median / 1000));
            median.Color = s_colors[i].WithAlpha(0.5);
            median.LineWidth = 1;
            median.LinePattern = LinePattern.Dashed;
            left = Math.Min(left, xs[0]);
            right = Math.Max(right, xs[^1]);
        }
        if (left > right) (left, right) = (0, 1);
        var ticks = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = x => Math.Pow(10, x).ToString("0.###", CultureInfo.InvariantCulture),
        };
        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.SetLimits(Math.Floor(left * 10) / 10 - 0.05, Math.Ceiling(right * 10) / 10 + 0.05, 0, 1.02);
        string emulated = run.Report.Host.HardwareAccurate ? "" : " - guest CPL 0 emulated, not hardware-accurate";
        plot.Title($"{figure.Title}\n{run.Report.Settings.Iterations} samples, in-guest TSC{emulated}");
        plot.XLabel("latency (us, log scale); dashed: medians");
        plot.YLabel("fraction of samples <= x");
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, Width, Height);
    }
}

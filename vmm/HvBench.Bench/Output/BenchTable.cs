using System.Globalization;
using HvBench.Bench.Reports;

namespace HvBench.Bench.Output;

/// <summary>The console table of <c>hvbench bench</c>: one row per figure, times in microseconds.</summary>
public static class BenchTable
{
    private const string RowFormat = "{0,-40} {1,7} {2,9} {3,8} {4,8} {5,8} {6,9} {7,9}  {8,-32} {9,7} {10,8}";

    /// <summary>Writes the header: what ran (HvBench version and commit, date), on what (<see cref="WriteHostLine"/>),
    /// how (iterations, VPs, hypercall page), the load average at the start (and at the end once known), and the
    /// warnings. Printed before the first row, from <see cref="Bench.IBenchProgress.RunStarted"/>'s header.</summary>
    public static void WriteHeader(TextWriter output, BenchReport report)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(report);
        BenchHostDocument host = report.Host;
        BenchSettingsDocument settings = report.Settings;
        // The whole commit: a shortened one would cut off the "-dirty" marker of a build from an edited tree.
        output.WriteLine($"hvbench bench {report.HvBench.Version}, commit {report.HvBench.Commit ?? "unknown"}, " +
            $"{(report.HvBench.NativeAot ? "Native AOT" : "JIT")} .NET {report.HvBench.Runtime}, date {report.Date}");
        WriteHostLine(output, host);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"iterations {settings.Iterations} per figure after {settings.Warmup} warm-up, {settings.Vcpus} VPs, hypercall page {settings.HypercallPage}, " +
            $"load average {Load(host.LoadAverageBefore)} at the start{(host.LoadAverageAfter is { } after ? $", {Load(after)} at the end" : "")}"));
        foreach (string warning in report.Warnings) output.WriteLine($"warning: {warning}");
    }

    private static string Load(double load) => load < 0 ? "unknown" : load.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>The host line, also printed before the run starts.</summary>
    public static void WriteHostLine(TextWriter output, BenchHostDocument host) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"host: {host.CpuModel}, {host.Cpus} CPUs, kernel {host.Kernel}, {host.KvmFlavour}, guest CPL 0 " +
            $"{Cpl0(host.Cpl0Emulated)}, TSC {host.TscKhz} kHz, intercept {host.Intercept}"));

    /// <summary>How guest CPL 0 ran, in the table's words.</summary>
    public static string Cpl0(bool? emulated) => emulated switch { true => "EMULATED (not hardware-accurate)", false => "native", null => "unknown" };

    /// <summary>The column headings.</summary>
    public static void WriteColumns(TextWriter output)
    {
        output.WriteLine(string.Format(CultureInfo.InvariantCulture, RowFormat,
            "figure", "n", "median", "p90", "p99", "p99.9", "max", "median", "floor", "x floor", "+floor"));
        output.WriteLine(string.Format(CultureInfo.InvariantCulture, RowFormat,
            "", "", "us", "us", "us", "us", "us", "cycles", "", "", "us"));
    }

    /// <summary>One figure's row.</summary>
    public static void WriteRow(TextWriter output, BenchFigureDocument figure)
    {
        LatencyStatistics ns = figure.Nanoseconds;
        output.WriteLine(string.Format(CultureInfo.InvariantCulture, RowFormat,
            figure.Id, figure.Samples, Us(ns.Median), Us(ns.P90), Us(ns.P99), Us(ns.P999), Us(ns.Max),
            figure.Cycles.Median.ToString("0", CultureInfo.InvariantCulture), figure.Floor ?? "-",
            figure.RatioToFloor is { } r ? r.ToString("0.00", CultureInfo.InvariantCulture) : "-",
            figure.AboveFloorNs is { } a ? Us(a) : "-"));
        if (figure.Throughput is { } t)
            output.WriteLine($"{"",-40} throughput: {t.SignalsPerSecond:0} signals/s from VP0, {t.InterruptsPerSecond:0} SINT interrupts/s taken by VP1");
    }

    /// <summary>The whole table (header, columns, rows, allocation line), as printed after the run.</summary>
    public static void Write(TextWriter output, BenchReport report)
    {
        WriteHeader(output, report);
        WriteColumns(output);
        foreach (BenchFigureDocument figure in report.Figures) WriteRow(output, figure);
        WriteAllocations(output, report);
    }

    /// <summary>The vCPU threads' allocations in the measured phase, per machine.</summary>
    public static void WriteAllocations(TextWriter output, BenchReport report)
    {
        foreach (BenchMachineDocument machine in report.Machines)
            output.WriteLine($"machine {machine.Name}: {machine.ElapsedMs / 1000:0.0} s, vCPU threads allocated " +
                $"{string.Join(", ", machine.SteadyStateAllocatedBytes.Select((b, vp) => $"VP{vp} {(b < 0 ? "n/a (<1000 exits)" : $"{b} B")}"))} after warm-up");
    }

    private static string Us(double ns) => (ns / 1000).ToString(ns < 100_000 ? "0.00" : "0.0", CultureInfo.InvariantCulture);
}

using System.Text.Json;
using HvBench.Bench.Reports;

namespace HvBench.Bench.Output;

/// <summary>Writes a run into <c>--out DIR</c>: <c>bench.json</c>, <c>figures.csv</c>, <c>samples/ID.csv</c> and
/// <c>plots/ID.png</c>.</summary>
public static class BenchOutputDirectory
{
    /// <summary>The report's file name.</summary>
    public const string JsonFile = "bench.json";

    /// <summary>The summary CSV's file name.</summary>
    public const string CsvFile = "figures.csv";

    /// <summary>Writes everything; returns the files written.</summary>
    public static IReadOnlyList<string> Write(BenchRun run, string directory)
    {
        Directory.CreateDirectory(directory);
        var files = new List<string>();
        string json = Path.Combine(directory, JsonFile);
        File.WriteAllText(json, Json(run.Report) + "\n");
        files.Add(json);
        string csv = Path.Combine(directory, CsvFile);
        File.WriteAllText(csv, BenchCsv.Figures(run.Report));
        files.Add(csv);
        string samples = Path.Combine(directory, "samples");
        Directory.CreateDirectory(samples);
        foreach (BenchFigureDocument figure in run.Report.Figures)
        {
            string path = Path.Combine(samples, figure.Id + ".csv");
            File.WriteAllText(path, BenchCsv.Samples(run.Samples[figure.Id], run.Report.Host.TscKhz));
            files.Add(path);
        }
        files.AddRange(BenchPlots.WriteAll(run, Path.Combine(directory, "plots")));
        return files;
    }

    /// <summary>The report as JSON (source-generated serializer).</summary>
    public static string Json(BenchReport report) => JsonSerializer.Serialize(report, BenchJsonContext.Default.BenchReport);
}

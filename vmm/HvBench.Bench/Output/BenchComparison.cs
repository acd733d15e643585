using System.Globalization;
using System.Text.Json;
using HvBench.Bench.Reports;

namespace HvBench.Bench.Output;

/// <summary><c>hvbench bench --compare OLD.json</c>: the change of each figure's median and p99 against an earlier
/// report. The old file is read as plain JSON (figures[].id and figures[].nanoseconds), so reports of other versions of
/// the schema still compare.</summary>
public static class BenchComparison
{
    /// <summary>Reads the figures (id → median ns, p99 ns) of a report file.</summary>
    /// <exception cref="InvalidDataException">Not a bench report.</exception>
    public static IReadOnlyDictionary<string, (double Median, double P99)> Load(string path)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
        if (!document.RootElement.TryGetProperty("figures", out JsonElement figures) || figures.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"{path} is not an hvbench bench report (no \"figures\" array)");
        var result = new Dictionary<string, (double, double)>(StringComparer.Ordinal);
        foreach (JsonElement figure in figures.EnumerateArray())
        {
            if (!figure.TryGetProperty("id", out JsonElement id) || !figure.TryGetProperty("nanoseconds", out JsonElement ns)) continue;
            result[id.GetString() ?? ""] = (ns.GetProperty("median").GetDouble(), ns.GetProperty("p99").GetDouble());
        }
        return result;
    }

    /// <summary>Prints one line per figure: old and new median and p99 in microseconds and the change in percent.</summary>
    public static void Write(TextWriter output, string oldPath, IReadOnlyDictionary<string, (double Median, double P99)> old, BenchReport current)
    {
        output.WriteLine($"compared with {oldPath} (negative = faster now):");
        output.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,-40} {1,10} {2,10} {3,8}   {4,10} {5,10} {6,8}",
            "figure", "old med", "new med", "change", "old p99", "new p99", "change"));
        foreach (BenchFigureDocument figure in current.Figures)
        {
            if (!old.TryGetValue(figure.Id, out var before))
            {
                output.WriteLine($"{figure.Id,-40} {"(new)",10} {Us(figure.Nanoseconds.Median),10}");
                continue;
            }
            output.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,-40} {1,10} {2,10} {3,8}   {4,10} {5,10} {6,8}",
                figure.Id, Us(before.Median), Us(figure.Nanoseconds.Median), Change(before.Median, figure.Nanoseconds.Median),
                Us(before.P99), Us(figure.Nanoseconds.P99), Change(before.P99, figure.Nanoseconds.P99)));
        }
        foreach (string gone in old.Keys.Where(id => current.Figures.All(f => f.Id != id)))
            output.WriteLine($"{gone,-40} {Us(old[gone].Median),10} {"(not run)",10}");
    }

    private static string Us(double ns) => (ns / 1000).ToString("0.00", CultureInfo.InvariantCulture);

    private static string Change(double before, double after) =>
        before > 0 ? ((after - before) / before * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + " %" : "-";
}

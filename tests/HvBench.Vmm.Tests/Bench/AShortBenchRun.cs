using System.Text.Json;
using HvBench.Bench;
using HvBench.Bench.Output;
using HvBench.Tests;
using HvBench.Vmm.Tests.Cli;

namespace HvBench.Vmm.Tests.Bench;

/// <summary><c>hvbench bench --iterations 200 --out DIR --json</c> through the real program: every figure of the catalogue
/// has its samples, its statistics are ordered, floors sit below the paths that contain them, the host is labelled,
/// and the table, JSON, CSV and PNG files are all there.</summary>
[TestFixture, Category("Kvm")]
public sealed class AShortBenchRun
{
    private const int Iterations = 200;
    private string _out = null!;
    private HvbenchProcess.Output _output = null!;
    private JsonElement _report;

    [OneTimeSetUp]
    public void RunTheBench()
    {
        KvmRequirement.Require();
        _out = Path.Combine(Path.GetTempPath(), $"hvbench-bench-{Environment.ProcessId}-{Guid.NewGuid():N}");
        _output = HvbenchProcess.Run(TimeSpan.FromSeconds(120), "bench", "--iterations", $"{Iterations}", "--out", _out, "--json");
        Assert.That(_output.ExitCode, Is.Zero, _output.Stderr);
        _report = JsonDocument.Parse(_output.Stdout).RootElement.Clone();
    }

    [OneTimeTearDown]
    public void RemoveTheOutput()
    {
        if (_out is not null && Directory.Exists(_out)) Directory.Delete(_out, recursive: true);
    }

    private IEnumerable<JsonElement> Figures => _report.GetProperty("figures").EnumerateArray();

    private IEnumerable<string> Ids => Figures.Select(f => f.GetProperty("id").GetString()!);

    private double Median(string id) => Cycles(id, "median");

    private double Cycles(string id, string statistic) =>
        Figures.Single(f => f.GetProperty("id").GetString() == id).GetProperty("cycles").GetProperty(statistic).GetDouble();

    [Test, CancelAfter(10_000)]
    public void MeasuresEveryFigureOfTheCatalogueWithItsSamples(CancellationToken token)
    {
        string[] ids = [.. Figures.Select(f => f.GetProperty("id").GetString()!)];
        Assert.That(ids, Is.EqualTo(BenchCatalogue.Create().Select(f => f.Id)));
        foreach (JsonElement figure in Figures)
        {
            string id = figure.GetProperty("id").GetString()!;
            Assert.That(figure.GetProperty("samples").GetInt32(), Is.EqualTo(Iterations), id);
            foreach (string unit in new[] { "cycles", "nanoseconds" })
            {
                JsonElement s = figure.GetProperty(unit);
                double[] ordered = [.. new[] { "min", "median", "p90", "p99", "p999", "max" }.Select(p => s.GetProperty(p).GetDouble())];
                Assert.That(ordered[0], Is.GreaterThan(0), $"{id}: min {unit}");
                Assert.That(ordered, Is.Ordered, $"{id}: min <= median <= p90 <= p99 <= p99.9 <= max in {unit}");
            }
        }
    }

    [Test, CancelAfter(10_000)]
    public void PutsEachFloorBelowThePathsThatContainIt(CancellationToken token)
    {
        foreach (BenchFigure figure in BenchCatalogue.Create().Where(f => f.FloorId is not null))
        {
            double median = Median(figure.Id), floor = Median(figure.FloorId!);
            // The steps run one after the other, so a load change on the shared host between two steps can move one
            // median by a few percent; the fastest samples are not moved that way. Either must show the extra work.
            if (figure.Relation == FloorRelation.Contains)
                Assert.That(median > floor || Cycles(figure.Id, "min") > Cycles(figure.FloorId!, "min"), Is.True,
                    $"{figure.Id} (median {median}, min {Cycles(figure.Id, "min")} cycles) contains {figure.FloorId} (median {floor}, min {Cycles(figure.FloorId!, "min")})");
            else if (figure.Relation == FloorRelation.Near)
                Assert.That(median > floor * 0.8 || Cycles(figure.Id, "min") > Cycles(figure.FloorId!, "min") * 0.8, Is.True,
                    $"{figure.Id} (median {median}, min {Cycles(figure.Id, "min")} cycles) does what {figure.FloorId} (median {floor}, min {Cycles(figure.FloorId!, "min")}) does and a little more");
        }
        Assert.That(Median("signal-round-trip.tlfs.page"), Is.GreaterThan(Median(BenchCatalogue.PortIoExit)));
    }

    [Test, CancelAfter(10_000)]
    public void PutsEveryOneWayLatencyAboveTheTimingOverhead(CancellationToken token)
    {
        // A one-way sample spans VP0's TSC read to VP1's, around an exit, the VMM, KVM_SIGNAL_MSI and an interrupt:
        // it holds more than the timing itself on any host, emulated or not, by microseconds.
        string[] oneWay = [.. Ids.Where(id => id.StartsWith("signal-one-way.", StringComparison.Ordinal) || id.StartsWith("post-message-to-handler.", StringComparison.Ordinal))];
        Assert.That(oneWay, Has.Length.GreaterThanOrEqualTo(6), "five signal-one-way forms and post-message-to-handler");
        foreach (string id in oneWay)
            Assert.That(Median(id), Is.GreaterThanOrEqualTo(Median(BenchCatalogue.TimerOverhead)), $"{id} against {BenchCatalogue.TimerOverhead}");
    }

    [Test, CancelAfter(10_000)]
    public void PutsEveryRoundTripAboveTheNullHypercallOfItsForm(CancellationToken token)
    {
        // A signal or message round trip runs the null hypercall's guest instructions and exit, plus the model's work
        // (and the MSI); the median or, when a load change between steps moved the medians, the fastest sample shows it.
        string[] roundTrips = [.. Ids.Where(id => id.StartsWith("signal-round-trip.", StringComparison.Ordinal) || id.StartsWith("post-message-round-trip.", StringComparison.Ordinal))];
        Assert.That(roundTrips, Has.Length.GreaterThanOrEqualTo(6), "five signal-round-trip forms and post-message-round-trip");
        foreach (string id in roundTrips)
        {
            string nullHypercall = "null-hypercall" + id[id.IndexOf('.', StringComparison.Ordinal)..];
            Assert.That(Median(id) >= Median(nullHypercall) || Cycles(id, "min") >= Cycles(nullHypercall, "min"), Is.True,
                $"{id} (median {Median(id)}, min {Cycles(id, "min")} cycles) against {nullHypercall} (median {Median(nullHypercall)}, min {Cycles(nullHypercall, "min")})");
        }
    }

    [Test, CancelAfter(10_000)]
    public void SaysWhatItRanOn(CancellationToken token)
    {
        JsonElement host = _report.GetProperty("host");
        foreach (string field in new[] { "cpuModel", "kernel", "virtualization", "kvmFlavour" })
            Assert.That(host.GetProperty(field).GetString(), Is.Not.Empty, field);
        Assert.That(host.GetProperty("tscKhz").GetInt32(), Is.GreaterThan(0));
        Assert.That(host.GetProperty("cpl0Emulated").ValueKind, Is.AnyOf(JsonValueKind.True, JsonValueKind.False));
        Assert.That(host.GetProperty("hardwareAccurate").GetBoolean(), Is.EqualTo(host.GetProperty("cpl0Emulated").ValueKind == JsonValueKind.False));
        if (!host.GetProperty("hardwareAccurate").GetBoolean())
        {
            Assert.That(_report.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()), Has.Some.Contains("not hardware-accurate"));
            Assert.That(_output.Stderr, Does.Contain("EMULATED (not hardware-accurate)"), "the table's host line");
        }
        Assert.That(_report.GetProperty("hvBench").GetProperty("version").GetString(), Is.Not.Empty);
        Assert.That(_report.GetProperty("settings").GetProperty("iterations").GetInt32(), Is.EqualTo(Iterations));
        Assert.That(DateTime.Parse(_report.GetProperty("date").GetString()!, System.Globalization.CultureInfo.InvariantCulture), Is.Not.EqualTo(default(DateTime)));
        foreach (string load in new[] { "loadAverageBefore", "loadAverageAfter" })
            Assert.That(host.GetProperty(load).GetDouble(), Is.GreaterThanOrEqualTo(0), $"{load} from /proc/loadavg");
    }

    /// <summary>What the run was, as the report says it: the table header and the CSV must say the same.</summary>
    private (string Label, string Value)[] RunFacts()
    {
        JsonElement host = _report.GetProperty("host"), build = _report.GetProperty("hvBench");
        return
        [
            ("date", _report.GetProperty("date").GetString()!),
            ("version", build.GetProperty("version").GetString()!),
            ("commit", build.TryGetProperty("commit", out JsonElement commit) && commit.ValueKind == JsonValueKind.String ? commit.GetString()! : "unknown"),
            ("CPU model", host.GetProperty("cpuModel").GetString()!),
            ("kernel", host.GetProperty("kernel").GetString()!),
            ("KVM flavour", host.GetProperty("kvmFlavour").GetString()!),
            ("TSC kHz", host.GetProperty("tscKhz").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ];
    }

    [Test, CancelAfter(10_000)]
    public void HeadsTheTableWithWhatTheRunWasBeforeAnyRow(CancellationToken token)
    {
        string table = _output.Stderr;
        int firstRow = table.IndexOf("\n" + BenchCatalogue.TimerOverhead + " ", StringComparison.Ordinal);
        Assert.That(firstRow, Is.GreaterThan(0), "the timer-overhead row");
        string header = table[..firstRow];
        JsonElement host = _report.GetProperty("host");
        foreach (var (label, value) in RunFacts())
            Assert.That(header, Does.Contain(value), label);
        Assert.That(header, Does.Contain($"hvbench bench {RunFacts()[1].Value}, commit {RunFacts()[2].Value}, "));
        Assert.That(header, Does.Contain($"TSC {host.GetProperty("tscKhz").GetInt32()} kHz"));
        Assert.That(header, Does.Contain("guest CPL 0 " + (host.GetProperty("cpl0Emulated").GetBoolean() ? "EMULATED (not hardware-accurate)" : "native")));
        Assert.That(header, Does.Contain($"iterations {Iterations} per figure"));
        Assert.That(header, Does.Contain(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"load average {host.GetProperty("loadAverageBefore").GetDouble():0.00} at the start")));
        Assert.That(table[firstRow..], Does.Contain(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{host.GetProperty("loadAverageAfter").GetDouble():0.00} at the end")), "the end load, after the rows");
    }

    [Test, CancelAfter(10_000)]
    public void RepeatsWhatTheRunWasInEveryCsvRow(CancellationToken token)
    {
        string[] lines = File.ReadAllLines(Path.Combine(_out, "figures.csv"));
        string[] columns = SplitCsv(lines[0]);
        Assert.That(columns[^BenchCsv.RunColumns.Count..], Is.EqualTo(BenchCsv.RunColumns));
        JsonElement host = _report.GetProperty("host");
        var expected = new Dictionary<string, string>
        {
            ["date"] = RunFacts()[0].Value,
            ["hvbench_version"] = RunFacts()[1].Value,
            ["hvbench_commit"] = RunFacts()[2].Value == "unknown" ? "" : RunFacts()[2].Value,
            ["cpu_model"] = RunFacts()[3].Value,
            ["kernel"] = RunFacts()[4].Value,
            ["kvm_flavour"] = RunFacts()[5].Value,
            ["tsc_khz"] = RunFacts()[6].Value,
            ["cpl0"] = host.GetProperty("cpl0Emulated").GetBoolean() ? "emulated" : "native",
            ["iterations"] = $"{Iterations}",
            ["load_average_start"] = host.GetProperty("loadAverageBefore").GetDouble().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["load_average_end"] = host.GetProperty("loadAverageAfter").GetDouble().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (string line in lines.Skip(1))
        {
            string[] row = SplitCsv(line);
            Assert.That(row, Has.Length.EqualTo(columns.Length), line);
            foreach (var (column, value) in expected)
                Assert.That(row[Array.IndexOf(columns, column)], Is.EqualTo(value), $"{column} in the row of {row[0]}");
        }
    }

    /// <summary>One CSV line split as RFC 4180 reads it (quoted fields may hold commas and doubled quotes).</summary>
    private static string[] SplitCsv(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
            else if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return [.. fields];
    }

    [Test, CancelAfter(10_000)]
    public void AllocatesNothingOnTheCallingVcpuThreadInTheMeasuredPhase(CancellationToken token)
    {
        JsonElement tlfs = _report.GetProperty("machines").EnumerateArray().First(m => m.GetProperty("name").GetString() == "tlfs");
        Assert.That(tlfs.GetProperty("steadyStateAllocatedBytes")[0].GetInt64(), Is.Zero, "VP0 of the machine with every step");
    }

    [Test, CancelAfter(10_000)]
    public void PrintsTheTableWithARowPerFigure(CancellationToken token)
    {
        foreach (JsonElement figure in Figures)
            Assert.That(_output.Stderr, Does.Match($@"(?m)^{System.Text.RegularExpressions.Regex.Escape(figure.GetProperty("id").GetString()!)} +{Iterations} "));
        Assert.That(_output.Stderr, Does.Contain("signals/s"));
    }

    [Test, CancelAfter(10_000)]
    public void WritesJsonCsvSamplesAndPlots(CancellationToken token)
    {
        using (JsonDocument file = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, "bench.json"))))
            Assert.That(file.RootElement.GetProperty("figures").GetArrayLength(), Is.EqualTo(_report.GetProperty("figures").GetArrayLength()));
        string[] csv = File.ReadAllLines(Path.Combine(_out, "figures.csv"));
        Assert.That(csv[0], Does.StartWith("id,title,machine,floor,floor_relation,samples,min_cycles,median_cycles"));
        Assert.That(csv, Has.Length.EqualTo(1 + _report.GetProperty("figures").GetArrayLength()), "one header line, one row per figure, no comment lines");
        foreach (JsonElement figure in Figures)
        {
            string id = figure.GetProperty("id").GetString()!;
            string[] samples = File.ReadAllLines(Path.Combine(_out, "samples", id + ".csv"));
            Assert.That(samples, Has.Length.EqualTo(1 + Iterations), id);
            Assert.That(samples[0], Is.EqualTo("cycles,ns"));
            byte[] png = File.ReadAllBytes(Path.Combine(_out, "plots", id + ".png"));
            Assert.That(png.Take(8), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), $"{id}.png is a PNG");
            Assert.That(png, Has.Length.GreaterThan(10_000), $"{id}.png has a picture in it");
        }
    }

    [Test, CancelAfter(30_000)]
    public void DrawsTheFloorBesideEachFigureThatHasOne(CancellationToken token)
    {
        // The figure's own curve is black, its floor's blue (BenchPlots' colours); the dashed median lines are
        // half-transparent, so pure blue pixels come from the floor's curve (and its legend sample) only.
        foreach (JsonElement figure in Figures)
        {
            string id = figure.GetProperty("id").GetString()!;
            int floorPixels = BluePixels(Path.Combine(_out, "plots", id + ".png"));
            if (figure.TryGetProperty("floor", out JsonElement floor) && floor.ValueKind == JsonValueKind.String)
                Assert.That(floorPixels, Is.GreaterThan(200), $"{id}.png draws {floor.GetString()} as a second series");
            else
                Assert.That(floorPixels, Is.LessThan(50), $"{id}.png has no floor, so one series");
        }
    }

    private static int BluePixels(string png)
    {
        using SkiaSharp.SKBitmap bitmap = SkiaSharp.SKBitmap.Decode(png);
        int count = 0;
        foreach (SkiaSharp.SKColor pixel in bitmap.Pixels)
            if (pixel.Blue >= 200 && pixel.Red <= 40 && pixel.Green <= 40) count++;
        return count;
    }

    [Test, CancelAfter(60_000)]
    public void ComparesAnotherRunWithThisOne(CancellationToken token)
    {
        var again = HvbenchProcess.Run(TimeSpan.FromSeconds(50), "bench", "--iterations", "50", "--figures", "port-io-exit",
            "--compare", Path.Combine(_out, "bench.json"));
        Assert.That(again.ExitCode, Is.Zero, again.Stderr);
        Assert.That(again.Stdout, Does.Contain($"compared with {Path.Combine(_out, "bench.json")}"));
        Assert.That(again.Stdout, Does.Match(@"(?m)^port-io-exit +[0-9.]+ +[0-9.]+ +[-+0-9.]+ %"));
        Assert.That(again.Stdout, Does.Match(@"(?m)^msr-write +[0-9.]+ +\(not run\)"));
    }
}

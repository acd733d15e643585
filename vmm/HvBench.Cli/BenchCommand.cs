using System.CommandLine;
using System.Runtime.InteropServices;
using HvBench.Bench;
using HvBench.Bench.Output;
using HvBench.Bench.Reports;
using HvBench.Kvm;
using HvBench.Vmm.Host;
using HvBench.Vmm.Intercepts;

namespace HvBench.Cli;

/// <summary><c>hvbench bench</c>: boots bench guests and measures, inside the guest with <c>lfence; rdtsc</c>, every
/// figure of docs/performance.md with its floors in the same run; prints a table, writes JSON, CSV and PNG plots.</summary>
internal static class BenchCommand
{
    private sealed record BenchFlags(int Iterations, int Vcpus, string[] Figures, string? Out, bool Json, string? Compare,
        string? HypercallPage, string? Intercept, string? KvmDevice);

    public static Command Create()
    {
        var iterations = new Option<int>("--iterations")
        {
            Description = $"measured samples per figure, after a warm-up of a tenth of them (default {BenchOptions.DefaultIterations})",
            HelpName = "N",
            DefaultValueFactory = _ => BenchOptions.DefaultIterations,
        };
        var vcpus = new Option<int>("--vcpus") { Description = "VPs per bench machine: VP0 calls, VP1 receives, others idle (default 2)", HelpName = "N", DefaultValueFactory = _ => 2 };
        var figures = new Option<string[]>("--figures")
        {
            Description = "figures to measure, comma-separated ids or prefixes (signal-round-trip, null-hypercall.rax); their floors are always measured too (default all)",
            HelpName = "LIST",
            AllowMultipleArgumentsPerToken = true,
        };
        var outDir = new Option<string?>("--out") { Description = "write bench.json, figures.csv, samples/*.csv and plots/*.png there", HelpName = "DIR" };
        var json = new Option<bool>("--json") { Description = "print the JSON report on stdout (the table goes to stderr)" };
        var compare = new Option<string?>("--compare") { Description = "after the run, print each figure's change against an earlier bench.json", HelpName = "OLD.json" };
        var hypercallPage = HypercallPageOption.Create();
        var intercept = new Option<string?>("--intercept") { Description = "how VMCALLs are intercepted (default auto)" };
        intercept.AcceptOnlyFromAmong("auto", "breakpoint", "xen");
        var kvmDevice = new Option<string?>("--kvm-device") { Description = KvmDevice.Description, HelpName = "PATH" };
        var verbose = new Option<bool>("--verbose") { Description = "show stack traces of errors" };
        var command = new Command("bench",
            "Measure HvBench inside bench guests with lfence;rdtsc: timing overhead, port-I/O exit, null hypercall, synthetic-MSR write, " +
            "HvSignalEvent round trip (hypercall page and direct VMCALL, tlfs and rax conventions), one-way latency to VP1's handler, " +
            "signals to a set flag and a masked SINT, HvPostMessage, free-running throughput, and the I/O-port hypercall page; each with " +
            "median, p90, p99, p99.9 and max, in cycles and ns, and as a ratio to its floor measured in the same run. See docs/performance.md.\n" +
            ExitCodes.BenchHelp)
        {
            iterations, vcpus, figures, outDir, json, compare, hypercallPage, intercept, kvmDevice, verbose,
        };
        command.SetAction(parse =>
        {
            try
            {
                return Execute(new BenchFlags(parse.GetValue(iterations), parse.GetValue(vcpus), parse.GetValue(figures) ?? [],
                    parse.GetValue(outDir), parse.GetValue(json), parse.GetValue(compare), parse.GetValue(hypercallPage),
                    parse.GetValue(intercept), parse.GetValue(kvmDevice)));
            }
            catch (BenchException e)
            {
                Console.Error.WriteLine($"hvbench: {e.Message}");
                return ExitCodes.GuestFail;
            }
            catch (Exception e)
            {
                return CliErrors.Report(e, parse.GetValue(verbose));
            }
        });
        return command;
    }

    private static int Execute(BenchFlags flags)
    {
        // Everything the user can get wrong is checked before KVM is opened.
        if (flags.Iterations < 1) throw new UsageException($"--iterations: {flags.Iterations} must be at least 1");
        if (flags.Vcpus < 2) throw new UsageException($"--vcpus: {flags.Vcpus}: the bench needs 2 VPs or more (VP0 calls, VP1 receives)");
        string[] patterns = [.. flags.Figures.SelectMany(f => f.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
        var options = new BenchOptions
        {
            Iterations = flags.Iterations,
            Vcpus = flags.Vcpus,
            Figures = patterns,
            HypercallPage = HypercallPageOption.Parse(flags.HypercallPage),
            Intercept = flags.Intercept switch { "xen" => InterceptKind.Xen, "breakpoint" => InterceptKind.Breakpoint, _ => InterceptKind.Auto },
        };
        try
        {
            BenchCatalogue.Select(BenchCatalogue.Create(options.HypercallPage), patterns);
            BenchMachinePlan.Create(BenchCatalogue.Select(BenchCatalogue.Create(options.HypercallPage), patterns), options.Iterations, options.EffectiveWarmup);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
        IReadOnlyDictionary<string, (double Median, double P99)>? old = null;
        if (flags.Compare is not null)
        {
            try
            {
                old = BenchComparison.Load(flags.Compare);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or System.Text.Json.JsonException or InvalidOperationException or KeyNotFoundException)
            {
                throw new UsageException($"--compare: cannot read {flags.Compare}: {e.Message}");
            }
        }
        if (flags.Out is not null)
        {
            try
            {
                Directory.CreateDirectory(flags.Out);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                throw new UsageException($"--out: cannot create {flags.Out}: {e.Message}");
            }
        }

        string device = KvmDevice.Resolve(flags.KvmDevice);
        TextWriter table = flags.Json ? Console.Error : Console.Out;
        HostCapabilities host;
        try
        {
            host = HostCapabilities.Probe(device);
        }
        catch (Vmm.MachineException e)
        {
            throw new HostException(e.Message, e);
        }
        using KvmSystem kvm = KvmDevice.Open(device);
        try
        {
            InterceptProbe.Choose(kvm, options.Intercept);
        }
        catch (Vmm.MachineException e)
        {
            throw new HostException(e.Message, e);
        }
        using var interrupted = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; interrupted.Cancel(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; interrupted.Cancel(); });
        BenchRun run;
        try
        {
            run = BenchRunner.Run(options, host, kvm, new ConsoleProgress(table), interrupted.Token);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("hvbench: bench interrupted; no report written");
            return ExitCodes.Interrupted;
        }

        BenchReport report = run.Report;
        BenchTable.WriteAllocations(table, report);
        table.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{report.Figures.Count} figures in {report.DurationSeconds:0.0} s, load average {report.Host.LoadAverageBefore:0.00} at the start, {report.Host.LoadAverageAfter:0.00} at the end"));
        foreach (string warning in report.Warnings) table.WriteLine($"warning: {warning}");
        if (old is not null) BenchComparison.Write(table, flags.Compare!, old, report);
        if (flags.Out is not null)
        {
            IReadOnlyList<string> files = BenchOutputDirectory.Write(run, flags.Out);
            table.WriteLine($"wrote {files.Count} files to {flags.Out}: {BenchOutputDirectory.JsonFile}, {BenchOutputDirectory.CsvFile}, samples/*.csv, plots/*.png");
        }
        if (flags.Json) Console.Out.WriteLine(BenchOutputDirectory.Json(report));
        return ExitCodes.Pass;
    }

    /// <summary>Rows as each machine finishes; step progress on stderr (in place on a terminal).</summary>
    private sealed class ConsoleProgress(TextWriter table) : IBenchProgress
    {
        private readonly bool _terminal = !Console.IsErrorRedirected;
        private readonly Lock _lock = new();

        public void RunStarted(BenchReport header)
        {
            lock (_lock)
            {
                BenchTable.WriteHeader(table, header);
                BenchTable.WriteColumns(table);
                table.Flush();
            }
        }

        public void MachineStarted(int index, int count, BenchMachinePlan plan)
        {
            lock (_lock)
                Console.Error.WriteLine($"[machine {index + 1}/{count}: {plan.Machine.Name}, {plan.Guest.Steps.Count} steps x {plan.Guest.SamplesPerSeries} iterations]");
        }

        public void StepStarted(BenchMachinePlan plan, int step, TimeSpan elapsed)
        {
            if (!_terminal) return;
            var s = plan.Guest.Steps[step];
            lock (_lock)
                Console.Error.Write($"\r  {plan.Machine.Name}: step {step + 1}/{plan.Guest.Steps.Count} {s.Kind}{(s.IsHypercall ? "/" + s.Route : "")} at {elapsed.TotalSeconds:0.0} s   ");
        }

        public void MachineFinished(BenchMachinePlan plan, IReadOnlyList<BenchFigureDocument> figures, BenchMachineDocument machine)
        {
            lock (_lock)
            {
                if (_terminal) Console.Error.Write("\r" + new string(' ', 79) + "\r");
                foreach (BenchFigureDocument figure in figures) BenchTable.WriteRow(table, figure);
                table.Flush();
            }
        }
    }
}

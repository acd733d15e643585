using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using HvBench.Cli.Json;
using HvBench.Hyperv;
using HvBench.Kvm;
using HvBench.Vmm;
using HvBench.Vmm.Configuration;
using HvBench.Vmm.Intercepts;
using HvBench.Vmm.Loaders;
using HvBench.Vmm.Tracing;

namespace HvBench.Cli;

/// <summary><c>hvbench run IMAGE</c>: boots an image with a scenario and exits with its verdict.</summary>
internal static class RunCommand
{
    private sealed record RunOptions(
        string Image, string? Config, int? Vcpus, string? Memory, string? Timeout, string? Convention, string? StatusProfile, string? Intercept,
        string? Format, string? LoadAddress, string? HypercallPage, bool Trace, string? TraceFile, bool Json, string? KvmDevice);

    public static Command Create()
    {
        var image = new Argument<string>("IMAGE") { Description = "guest image: ELF64, or a flat binary (.bin or --format flat)" };
        var config = new Option<string?>("--config") { Description = "scenario file (JSON, docs/scenario.md); flags override it", HelpName = "FILE" };
        var vcpus = new Option<int?>("--vcpus") { Description = "number of virtual processors, 1..1024 (default 1)", HelpName = "N" };
        var memory = new Option<string?>("--memory") { Description = "guest RAM: a size with K, M or G, 2M..3G (default 64M)", HelpName = "SIZE" };
        var timeout = new Option<string?>("--timeout") { Description = "wall-clock limit: 500ms, 30s, 2m or a number of seconds (default 30s)", HelpName = "DURATION" };
        var convention = new Option<string?>("--convention") { Description = "hypercall register convention (default tlfs)" };
        convention.AcceptOnlyFromAmong("tlfs", "rax");
        var statusProfile = new Option<string?>("--status-profile") { Description = "statuses of HvSignalEvent and HvPostMessage: tlfs, or kvm-compat to answer as KVM with QEMU (default tlfs)" };
        statusProfile.AcceptOnlyFromAmong("tlfs", "kvm-compat");
        var intercept = new Option<string?>("--intercept") { Description = "how VMCALLs are intercepted (default auto: xen where the host offers it, else breakpoint)" };
        intercept.AcceptOnlyFromAmong("auto", "breakpoint", "xen");
        var hypercallPage = HypercallPageOption.Create();
        var format = new Option<string?>("--format") { Description = "image format (default: by content and name)" };
        format.AcceptOnlyFromAmong("elf", "flat");
        var loadAddress = new Option<string?>("--load-address") { Description = "where a flat binary is loaded (default 0x100000)", HelpName = "ADDRESS" };
        var trace = new Option<bool>("--trace") { Description = "after the run, print one line per exit, hypercall and SINT" };
        var traceFile = new Option<string?>("--trace-file") { Description = "write the events as Chrome trace-event JSON (open in https://ui.perfetto.dev)", HelpName = "FILE" };
        var json = new Option<bool>("--json") { Description = "print one JSON document (verdict, console, timings, counters, results) instead of text" };
        var kvmDevice = new Option<string?>("--kvm-device") { Description = KvmDevice.Description, HelpName = "PATH" };
        var verbose = new Option<bool>("--verbose") { Description = "show stack traces of errors" };
        var command = new Command("run", $"Boot IMAGE on KVM with a Hyper-V set-up and exit with the guest's verdict.\n{ExitCodes.Help}")
        {
            image, config, vcpus, memory, timeout, convention, statusProfile, intercept, hypercallPage, format, loadAddress, trace, traceFile, json, kvmDevice, verbose,
        };
        command.SetAction(parse =>
        {
            try
            {
                return Execute(new RunOptions(
                    parse.GetValue(image)!, parse.GetValue(config), parse.GetValue(vcpus), parse.GetValue(memory), parse.GetValue(timeout),
                    parse.GetValue(convention), parse.GetValue(statusProfile), parse.GetValue(intercept), parse.GetValue(format), parse.GetValue(loadAddress), parse.GetValue(hypercallPage),
                    parse.GetValue(trace), parse.GetValue(traceFile), parse.GetValue(json), parse.GetValue(kvmDevice)));
            }
            catch (Exception e)
            {
                return CliErrors.Report(e, parse.GetValue(verbose));
            }
        });
        return command;
    }

    private static int Execute(RunOptions options)
    {
        // Everything the user can get wrong is checked before KVM is opened: flags, scenario, images, trace file.
        RequirePath("IMAGE", options.Image);
        if (options.Config is not null) RequirePath("--config", options.Config);
        if (options.TraceFile is not null) CheckTraceFileCanBeCreated(options.TraceFile);
        ScenarioRunOptions runOptions = ReadFlags(options);
        Scenario scenario = options.Config is null ? new Scenario { SourceName = "hvbench run" } : ScenarioParser.Load(options.Config);
        TraceBuffer? traceBuffer = options.Trace || options.TraceFile is not null ? new TraceBuffer() : null;
        TextWriter output = options.Json ? Console.Error : Console.Out; // with --json, stdout holds the document only
        bool multiPartition = scenario.Partitions is not null;
        runOptions = runOptions with
        {
            Trace = traceBuffer,
            OnConsoleLine = options.Json ? null
                : multiPartition ? (partition, line) => Console.Out.WriteLine($"P{partition}| {line}")
                : (_, line) => Console.Out.WriteLine(line),
        };
        ScenarioPlan plan = ScenarioSetup.Plan(scenario, runOptions);
        foreach (string warning in plan.Warnings) Console.Error.WriteLine($"hvbench: warning: {warning}");

        using KvmSystem kvm = KvmDevice.Open(KvmDevice.Resolve(options.KvmDevice));
        try
        {
            InterceptProbe.Choose(kvm, runOptions.Intercept);
        }
        catch (MachineException e)
        {
            throw new HostException(e.Message, e);
        }

        string? signal = null;
        using var interrupted = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; signal ??= "SIGINT"; interrupted.Cancel(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; signal ??= "SIGTERM"; interrupted.Cancel(); });
        using ScenarioMachines machines = ScenarioSetup.Create(plan, kvm);
        RunResult result = machines.Run(interrupted.Token);
        if (result.Outcome == RunOutcome.Cancelled && signal is not null) result = result with { Reason = $"interrupted by {signal}" };
        Console.Out.Flush();
        int exitCode = ExitCodes.For(result.Outcome);

        TraceLayout layout = TraceLayout.Of(machines.Machines);
        TraceEvent[] events = traceBuffer?.Snapshot() ?? [];
        if (options.Trace) TraceTextFormatter.Write(output, events, layout, traceBuffer!.Dropped);

        if (options.Json)
        {
            RunDocument document = RunDocuments.Create(result, exitCode, options.Image, options.Config, machines, traceBuffer, options.TraceFile);
            Console.Out.WriteLine(JsonSerializer.Serialize(document, CliJsonContext.Default.RunDocument));
        }
        else
        {
            RunReport.Print(result, Console.Out);
        }

        // The trace file is written last, so that a failure to write it cannot cost the verdict, and created only
        // now, so that a run that never started leaves no empty file behind. Losing it fails a passing run as a
        // host error (3); any other verdict keeps its own exit code.
        if (options.TraceFile is not null && !TryWriteTraceFile(options.TraceFile, events, layout, traceBuffer!.Dropped))
        {
            Console.Out.Flush();
            if (exitCode == ExitCodes.Pass) exitCode = ExitCodes.HostError;
        }

        return exitCode;
    }

    private static void RequirePath(string name, string path)
    {
        if (path.Length == 0) throw new UsageException($"{name}: the path is empty");
    }

    /// <summary>Refuses a trace file that could never be created, before the run, without creating it.</summary>
    private static void CheckTraceFileCanBeCreated(string path)
    {
        RequirePath("--trace-file", path);
        if (HostFile.KindOf(path) == HostFileKind.Directory) throw new UsageException($"--trace-file: {path} is a directory");
        string? directory;
        try
        {
            directory = Path.GetDirectoryName(Path.GetFullPath(path));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new UsageException($"--trace-file: cannot write {path}: {e.Message}");
        }

        if (directory is not null && HostFile.KindOf(directory) != HostFileKind.Directory)
            throw new UsageException($"--trace-file: cannot write {path}: {directory} is not a directory");
    }

    /// <summary>Creates the trace file and writes the events; a failure is one line on stderr naming the file.</summary>
    private static bool TryWriteTraceFile(string path, TraceEvent[] events, TraceLayout layout, long dropped)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
            ChromeTraceWriter.Write(stream, events, layout, dropped);
            stream.Flush();
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            // .NET ends an I/O error's message with " : 'PATH'"; the line names the file once already.
            string reason = e is UnauthorizedAccessException ? "permission denied"
                : e.Message.ReplaceLineEndings(" ").Replace($" : '{path}'", "", StringComparison.Ordinal).Trim();
            Console.Error.WriteLine($"hvbench: --trace-file: cannot write {path}: {reason}");
            return false;
        }
    }

    private static ScenarioRunOptions ReadFlags(RunOptions options)
    {
        int? vcpus = options.Vcpus;
        if (vcpus is int count && !ScenarioLimits.IsValidVcpus(count, out string? vcpuProblem)) throw new UsageException($"--vcpus: {vcpuProblem}");
        ulong? memory = null;
        if (options.Memory is not null)
        {
            memory = Parse<ulong>("--memory", options.Memory, MemorySize.TryParse);
            if (!ScenarioLimits.IsValidMemory(memory.Value, out string? problem)) throw new UsageException($"--memory: {problem}");
        }

        TimeSpan? timeout = null;
        if (options.Timeout is not null)
        {
            timeout = Parse<TimeSpan>("--timeout", options.Timeout, Duration.TryParse);
            if (!ScenarioLimits.IsValidTimeout(timeout.Value, out string? problem)) throw new UsageException($"--timeout: {problem}");
        }

        return new ScenarioRunOptions
        {
            ImagePath = options.Image,
            ImageFormat = options.Format switch { null => null, "flat" => GuestImageFormat.Flat, _ => GuestImageFormat.Elf64 },
            FlatLoadAddress = options.LoadAddress is null ? ImageLoadOptions.DefaultFlatLoadAddress : ParseAddress(options.LoadAddress),
            Vcpus = vcpus,
            MemoryBytes = memory,
            Timeout = timeout,
            Convention = options.Convention switch { null => null, "rax" => HypercallConvention.Rax, _ => HypercallConvention.Tlfs },
            StatusProfile = options.StatusProfile switch { null => null, "kvm-compat" => StatusProfile.KvmCompat, _ => StatusProfile.Tlfs },
            Intercept = options.Intercept switch { "xen" => InterceptKind.Xen, "breakpoint" => InterceptKind.Breakpoint, _ => InterceptKind.Auto },
            HypercallPage = HypercallPageOption.Parse(options.HypercallPage),
        };
    }

    private delegate bool TryParser<T>(string? text, out T value, out string? error);

    private static T Parse<T>(string name, string text, TryParser<T> parser) =>
        parser(text, out T value, out string? error) ? value : throw new UsageException($"{name}: {error}");

    private static ulong ParseAddress(string text)
    {
        bool hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        return ulong.TryParse(hex ? text[2..] : text, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out ulong value)
            ? value
            : throw new UsageException($"--load-address: '{text}' is not an address (decimal or 0x hex)");
    }
}

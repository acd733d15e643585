using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using HvBench.Bench.Reports;
using HvBench.Guest.Images.Bench;
using HvBench.Guest.Runtime;
using HvBench.Kvm;
using HvBench.Vmm;
using HvBench.Vmm.Boot;
using HvBench.Vmm.Host;
using HvBench.Vmm.Intercepts;
using HvBench.Vmm.Loaders;

namespace HvBench.Bench;

/// <summary>Runs <c>hvbench bench</c>: boots one bench guest per machine (<see cref="BenchMachinePlan"/>), reads the
/// in-guest TSC samples back, and turns them into figures with statistics, floors and ratios.</summary>
public static class BenchRunner
{
    private const ulong MinimumMemory = 64UL << 20;

    /// <summary>Measures the figures <paramref name="options"/> select on <paramref name="kvm"/>; <paramref name="host"/>
    /// labels them (its TSC frequency converts cycles to nanoseconds).</summary>
    /// <exception cref="ArgumentException">Options out of range or a pattern naming no figure.</exception>
    /// <exception cref="BenchException">A bench guest did not pass.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> fired.</exception>
    /// <exception cref="MachineException">KVM refused a step.</exception>
    public static BenchRun Run(BenchOptions options, HostCapabilities host, KvmSystem kvm, IBenchProgress? progress = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(host);
        if (options.Iterations < 1) throw new ArgumentException($"--iterations: {options.Iterations} must be at least 1");
        if (options.Vcpus < 2) throw new ArgumentException($"--vcpus: {options.Vcpus}: the bench needs 2 VPs or more (VP0 calls, VP1 receives)");
        if (host.TscKhz is not int tscKhz || tscKhz <= 0) throw new BenchException("KVM did not report the TSC frequency (KVM_GET_TSC_KHZ): cycles cannot be converted to time");

        IReadOnlyList<BenchFigure> figures = BenchCatalogue.Select(BenchCatalogue.Create(options.HypercallPage), options.Figures);
        IReadOnlyList<BenchMachinePlan> plans = BenchMachinePlan.Create(figures, options.Iterations, options.EffectiveWarmup);
        double nsPerCycle = 1e6 / tscKhz;
        string date = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        double loadBefore = BenchHostFacts.LoadAverage();
        var header = new BenchReport
        {
            Date = date,
            DurationSeconds = 0,
            Host = DescribeHost(host, tscKhz, loadBefore, loadAfter: null),
            HvBench = DescribeBuild(),
            Settings = new BenchSettingsDocument
            {
                Iterations = options.Iterations,
                Warmup = options.EffectiveWarmup,
                Vcpus = options.Vcpus,
                HypercallPage = BenchNames.Of(options.HypercallPage),
                Figures = options.Figures,
            },
            Warnings = Warnings(host, loadBefore, loadAfter: null),
            Machines = [],
            Figures = [],
        };
        progress?.RunStarted(header);
        var clock = Stopwatch.StartNew();

        var samples = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var documents = new Dictionary<string, BenchFigureDocument>(StringComparer.Ordinal);
        var machines = new List<BenchMachineDocument>();
        for (int i = 0; i < plans.Count; i++)
        {
            BenchMachinePlan plan = plans[i];
            progress?.MachineStarted(i, plans.Count, plan);
            (RunResult result, double[] raw) = RunMachine(plan, options, kvm, progress, cancellation);
            var machineFigures = new List<BenchFigureDocument>();
            foreach (var (figure, series) in plan.Figures)
            {
                int perSeries = plan.Guest.SamplesPerSeries;
                double[] measured = raw.AsSpan(series * perSeries + plan.Guest.Warmup, plan.Guest.Iterations).ToArray();
                samples[figure.Id] = measured;
                BenchThroughputDocument? throughput = figure.IsThroughput
                    ? Throughput(measured, raw.AsSpan(series * perSeries, perSeries), result.Results!.Counters[BenchGuest.ThroughputCounter], tscKhz)
                    : null;
                BenchFigureDocument document = Describe(figure, measured, nsPerCycle, documents, throughput);
                documents[figure.Id] = document;
                machineFigures.Add(document);
            }
            BenchMachineDocument machine = DescribeMachine(plan, result);
            machines.Add(machine);
            progress?.MachineFinished(plan, machineFigures, machine);
        }

        clock.Stop();
        double loadAfter = BenchHostFacts.LoadAverage();
        BenchReport report = header with
        {
            DurationSeconds = Math.Round(clock.Elapsed.TotalSeconds, 3),
            Host = header.Host with { LoadAverageAfter = loadAfter },
            Warnings = Warnings(host, loadBefore, loadAfter),
            Machines = machines,
            Figures = [.. figures.Select(f => documents[f.Id])],
        };
        return new BenchRun(report, samples);
    }

    private static (RunResult Result, double[] Samples) RunMachine(BenchMachinePlan plan, BenchOptions options, KvmSystem kvm,
        IBenchProgress? progress, CancellationToken cancellation)
    {
        byte[] image = BenchGuest.Build(plan.Guest);
        long sampleBytes = 8L * plan.Guest.SeriesCount * plan.Guest.SamplesPerSeries;
        ulong memory = Math.Max(MinimumMemory, ((ulong)sampleBytes + (8UL << 20) + 0xFFFFF) & ~0xFFFFFUL);
        GuestImage guest = ImageLoader.Parse(image, $"bench-{plan.Machine.Name}.elf",
            new ImageLoadOptions { HighestAddress = BootLayout.StacksBottom(memory, options.Vcpus) });
        // Generous: a sample takes tens of microseconds where CPL 0 is emulated, tails reach milliseconds.
        var timeout = TimeSpan.FromSeconds(60 + plan.Guest.Steps.Count * plan.Guest.SamplesPerSeries * 0.002);
        var config = new MachineConfig
        {
            Image = guest,
            VcpuCount = options.Vcpus,
            MemoryBytes = memory,
            Timeout = timeout,
            Convention = plan.Machine.Convention,
            HypercallPage = plan.Machine.Page,
            Intercept = options.Intercept,
        };
        using Machine machine = Machine.Create(config, kvm);
        AddPortsAndConnections(machine.Hyperv);

        RunResult result;
        using (var watcher = new StepWatcher(machine, plan, progress))
        {
            result = machine.Run(cancellation);
        }
        if (result.Outcome == RunOutcome.Cancelled) throw new OperationCanceledException("bench cancelled", cancellation);
        if (!result.Passed) throw new BenchException($"bench machine {plan.Machine.Name}: {result.Verdict}");
        ulong[] raw = result.Results?.Samples ?? [];
        int expected = plan.Guest.SeriesCount * plan.Guest.SamplesPerSeries;
        if (raw.Length != expected)
            throw new BenchException($"bench machine {plan.Machine.Name}: the guest left {raw.Length} samples, expected {expected}");
        return (result, Array.ConvertAll(raw, s => (double)s));
    }

    /// <summary>Adds <see cref="BenchGuest.PortsAndConnections"/> to a bench machine's partition (all on VP1).</summary>
    public static void AddPortsAndConnections(Partition partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        foreach (var (portId, message, sint) in BenchGuest.PortsAndConnections)
        {
            if (message) partition.AddMessagePort(portId, targetVp: 1, targetSint: sint);
            else partition.AddEventPort(portId, targetVp: 1, targetSint: sint, baseFlagNumber: 0, flagCount: 1);
            partition.AddConnection(portId, partition, portId);
        }
    }

    private static BenchFigureDocument Describe(BenchFigure figure, double[] cycles, double nsPerCycle,
        IReadOnlyDictionary<string, BenchFigureDocument> known, BenchThroughputDocument? throughput)
    {
        LatencyStatistics statistics = LatencyStatistics.Of(cycles);
        double? ratio = null, above = null;
        if (figure.FloorId is { } floorId && known.TryGetValue(floorId, out BenchFigureDocument? floor) && floor.Cycles.Median > 0)
        {
            ratio = Math.Round(statistics.Median / floor.Cycles.Median, 3);
            above = Math.Round((statistics.Median - floor.Cycles.Median) * nsPerCycle, 1);
        }
        return new BenchFigureDocument
        {
            Id = figure.Id,
            Title = figure.Title,
            Machine = figure.Machine.Name,
            Floor = figure.FloorId,
            FloorRelation = figure.Relation.ToString().ToLowerInvariant(),
            Samples = cycles.Length,
            Cycles = Round(statistics, 1),
            Nanoseconds = Round(statistics.Scale(nsPerCycle), 1),
            RatioToFloor = ratio,
            AboveFloorNs = above,
            Throughput = throughput,
        };
    }

    private static LatencyStatistics Round(LatencyStatistics s, int digits) =>
        new(Math.Round(s.Min, digits), Math.Round(s.Median, digits), Math.Round(s.P90, digits), Math.Round(s.P99, digits),
            Math.Round(s.P999, digits), Math.Round(s.Max, digits), Math.Round(s.Mean, digits));

    private static BenchThroughputDocument Throughput(double[] measured, ReadOnlySpan<double> wholeStep, ulong interrupts, int tscKhz)
    {
        double measuredCycles = measured.Sum(), stepCycles = 0;
        foreach (double c in wholeStep) stepCycles += c;
        double hz = tscKhz * 1000.0;
        return new BenchThroughputDocument(
            Math.Round(measured.Length / (measuredCycles / hz), 1),
            Math.Round(interrupts / (stepCycles / hz), 1));
    }

    private static BenchMachineDocument DescribeMachine(BenchMachinePlan plan, RunResult result)
    {
        var exits = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (reason, count) in result.Statistics.Totals()) exits[reason.ToString()] = count;
        return new BenchMachineDocument
        {
            Name = plan.Machine.Name,
            Convention = BenchNames.Of(plan.Machine.Convention),
            HypercallPage = BenchNames.Of(plan.Machine.Page),
            Steps = [.. plan.Guest.Steps.Select(s => s.IsHypercall ? $"{s.Kind}/{BenchNames.Route(s.Route, plan.Machine.Page)}" : s.Kind.ToString())],
            ElapsedMs = Math.Round(result.Elapsed.TotalMilliseconds, 1),
            Exits = exits,
            Hypercalls = new SortedDictionary<string, long>(result.Statistics.HypercallsByStatus, StringComparer.Ordinal),
            SintsAsserted = result.Statistics.SintsAsserted,
            SteadyStateAllocatedBytes = result.Statistics.SteadyStateAllocatedBytes,
        };
    }

    /// <summary>The host part of a report, from the probe and /proc.</summary>
    public static BenchHostDocument DescribeHost(HostCapabilities host, int tscKhz, double loadBefore, double? loadAfter)
    {
        string virtualization = HostFacts.Describe(host.Virtualization);
        return new BenchHostDocument
        {
            CpuModel = BenchHostFacts.CpuModel(),
            Cpus = Environment.ProcessorCount,
            Kernel = BenchHostFacts.Kernel(),
            Virtualization = virtualization,
            KvmModule = host.KernelModule,
            KvmFlavour = host.KernelModule is { } module ? $"{virtualization} ({module})" : virtualization,
            Cpl0Emulated = host.Cpl0Emulated,
            Cpl0NanosecondsPerIteration = host.Calibration is { } c ? Math.Round(c.NanosecondsPerIteration, 2) : null,
            HardwareAccurate = host.Cpl0Emulated == false,
            TscKhz = tscKhz,
            Intercept = host.Intercept?.ToString().ToLowerInvariant() ?? "none",
            LoadAverageBefore = loadBefore,
            LoadAverageAfter = loadAfter,
        };
    }

    /// <summary>The version and commit of this build (the SDK appends the commit to the informational version).</summary>
    public static BenchBuildDocument DescribeBuild()
    {
        string informational = typeof(BenchRunner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        int plus = informational.IndexOf('+');
        string version = plus < 0 ? informational : informational[..plus];
        string? commit = plus < 0 ? null : informational[(plus + 1)..];
        return new BenchBuildDocument(version, commit, Environment.Version.ToString(), !RuntimeFeature.IsDynamicCodeSupported);
    }

    /// <summary>The 1-minute load average above which a host counts as busy for a bench run on
    /// <paramref name="cpus"/> CPUs: CPUs − 1, and at least 1.</summary>
    /// <remarks>VP0 calls back to back, so the bench keeps one CPU busy by itself, and VP1 must wake at once for the
    /// one-way and round-trip figures. A load above CPUs − 1 means that on average less than one CPU was left idle by
    /// other work: VP0 then shares its CPU and VP1 waits to be scheduled, which is how an auditor saw the VMM's share
    /// of a signal go from 0.9 µs to 68 µs with a compile running. Not below 1: on a 2-CPU host the trailing load of
    /// a previous bench run or of the build is about 1, and the medians stayed within a few percent then
    /// (docs/performance.md).</remarks>
    public static double BusyLoadThreshold(int cpus) => Math.Max(cpus - 1, 1);

    /// <summary>What the bench's own threads add to the load average by the end of a run: VP0's and VP1's vCPU
    /// threads, at most, so the end load is judged against <see cref="BusyLoadThreshold"/> plus this.</summary>
    public const double OwnLoad = 2;

    /// <summary>Warnings that qualify every figure: an emulated or unknown CPL 0, a busy host at the start or the end
    /// (<paramref name="loadAfter"/> null before the run ends).</summary>
    public static IReadOnlyList<string> Warnings(HostCapabilities host, double loadBefore, double? loadAfter)
    {
        ArgumentNullException.ThrowIfNull(host);
        var warnings = new List<string>();
        if (host.Cpl0Emulated != false)
            warnings.Add(host.Cpl0Emulated == true
                ? $"guest CPL 0 ran in KVM's instruction emulator here (about {host.Calibration!.NanosecondsPerIteration / 2:0} ns per instruction): " +
                  "the figures are not hardware-accurate; compare them only with the floors of the same run"
                : "whether guest CPL 0 is emulated is unknown (the calibration guest did not run): the figures may not be hardware-accurate");
        int cpus = Environment.ProcessorCount;
        double threshold = BusyLoadThreshold(cpus);
        if (loadBefore > threshold)
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"the host was busy when the run started (load average {loadBefore:0.00} on {cpus} CPUs, above {threshold:0.##}): the figures may be far off, expect wider tails"));
        if (loadAfter > threshold + OwnLoad)
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"the host was busy when the run ended (load average {loadAfter:0.00} on {cpus} CPUs, above {threshold + OwnLoad:0.##}, more than the bench's own {OwnLoad:0} vCPU threads add): the figures may be far off, expect wider tails"));
        return warnings;
    }

    /// <summary>Polls the guest's step counter while a machine runs, for progress.</summary>
    private sealed class StepWatcher : IDisposable
    {
        private readonly Timer? _timer;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _lastStep;

        public StepWatcher(Machine machine, BenchMachinePlan plan, IBenchProgress? progress)
        {
            if (progress is null || !machine.Config.Image.Symbols.TryGetSymbol(ResultsBuffer.SymbolName, out var symbol)) return;
            ulong counter = symbol.Address + ResultsBuffer.CountersOffset + 8 * BenchGuest.StepCounter;
            _timer = new Timer(_ =>
            {
                long step = (long)machine.Memory.ReadUInt64(counter);
                if (step <= _lastStep || step > plan.Guest.Steps.Count) return;
                _lastStep = step;
                progress.StepStarted(plan, (int)step - 1, _clock.Elapsed);
            }, null, TimeSpan.Zero, TimeSpan.FromMilliseconds(100));
        }

        public void Dispose()
        {
            if (_timer is null) return;
            using var stopped = new ManualResetEvent(false);
            if (_timer.Dispose(stopped)) stopped.WaitOne();
        }
    }
}

namespace HvBench.Bench.Reports;

/// <summary>Everything one <c>hvbench bench</c> run measured and what it ran on: the document written as
/// <c>bench.json</c> and printed by <c>--json</c> (schema <see cref="SchemaName"/>).</summary>
public sealed record BenchReport
{
    /// <summary>The schema name and version of this document.</summary>
    public const string SchemaName = "hvbench-bench/1";

    /// <summary><see cref="SchemaName"/>.</summary>
    public string Schema { get; init; } = SchemaName;

    /// <summary>When the run started, UTC, ISO 8601.</summary>
    public required string Date { get; init; }

    /// <summary>Wall time of the whole run in seconds.</summary>
    public required double DurationSeconds { get; init; }

    /// <summary>What the figures were measured on.</summary>
    public required BenchHostDocument Host { get; init; }

    /// <summary>The HvBench build.</summary>
    public required BenchBuildDocument HvBench { get; init; }

    /// <summary>The run's settings.</summary>
    public required BenchSettingsDocument Settings { get; init; }

    /// <summary>Warnings that qualify every figure (an emulated CPL 0, a busy host).</summary>
    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>Each machine booted, with its counters.</summary>
    public required IReadOnlyList<BenchMachineDocument> Machines { get; init; }

    /// <summary>Every figure, in catalogue order.</summary>
    public required IReadOnlyList<BenchFigureDocument> Figures { get; init; }
}

/// <summary>The host a bench ran on.</summary>
public sealed record BenchHostDocument
{
    /// <summary><c>model name</c> from /proc/cpuinfo.</summary>
    public required string CpuModel { get; init; }

    /// <summary>Logical CPUs online.</summary>
    public required int Cpus { get; init; }

    /// <summary>The kernel release (/proc/sys/kernel/osrelease).</summary>
    public required string Kernel { get; init; }

    /// <summary>VT-x, AMD-V or software KVM.</summary>
    public required string Virtualization { get; init; }

    /// <summary>The KVM vendor module (kvm_intel, kvm_amd, kvm_pvm, …), or null.</summary>
    public string? KvmModule { get; init; }

    /// <summary>The KVM flavour in words, e.g. "software KVM (kvm_pvm)".</summary>
    public required string KvmFlavour { get; init; }

    /// <summary>Whether guest CPL 0 ran in KVM's instruction emulator (measured by the calibration guest); null if unknown.</summary>
    public bool? Cpl0Emulated { get; init; }

    /// <summary>The calibration loop's nanoseconds per iteration (two instructions at CPL 0).</summary>
    public double? Cpl0NanosecondsPerIteration { get; init; }

    /// <summary>False when guest CPL 0 was emulated (or unknown): the figures are not hardware-accurate.</summary>
    public required bool HardwareAccurate { get; init; }

    /// <summary>KVM_GET_TSC_KHZ.</summary>
    public required int TscKhz { get; init; }

    /// <summary>The hypercall intercept used for VMCALLs.</summary>
    public required string Intercept { get; init; }

    /// <summary>/proc/loadavg's 1-minute load when the run started and when it ended; -1 when unreadable.</summary>
    public required double LoadAverageBefore { get; init; }

    /// <summary>See <see cref="LoadAverageBefore"/>; null only in the header a run prints before it starts
    /// (<see cref="IBenchProgress.RunStarted"/>), always set in a finished report.</summary>
    public double? LoadAverageAfter { get; init; }
}

/// <summary>The HvBench build that measured.</summary>
public sealed record BenchBuildDocument(string Version, string? Commit, string Runtime, bool NativeAot);

/// <summary>The settings of a run.</summary>
public sealed record BenchSettingsDocument
{
    /// <summary>Measured iterations per figure.</summary>
    public required int Iterations { get; init; }

    /// <summary>Warm-up iterations per figure (not in the statistics).</summary>
    public required int Warmup { get; init; }

    /// <summary>VPs per machine.</summary>
    public required int Vcpus { get; init; }

    /// <summary><c>vmcall</c> or <c>io</c>.</summary>
    public required string HypercallPage { get; init; }

    /// <summary>The <c>--figures</c> patterns, or empty for all.</summary>
    public required IReadOnlyList<string> Figures { get; init; }
}

/// <summary>One machine of the run.</summary>
public sealed record BenchMachineDocument
{
    /// <summary><c>tlfs</c>, <c>rax</c>, <c>tlfs-io-page</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Register convention.</summary>
    public required string Convention { get; init; }

    /// <summary>Hypercall page: <c>vmcall</c> or <c>io</c>.</summary>
    public required string HypercallPage { get; init; }

    /// <summary>The guest's steps in order.</summary>
    public required IReadOnlyList<string> Steps { get; init; }

    /// <summary>Wall time of its run in milliseconds.</summary>
    public required double ElapsedMs { get; init; }

    /// <summary>Exits by reason, all VPs.</summary>
    public required IReadOnlyDictionary<string, long> Exits { get; init; }

    /// <summary>Hypercalls by status.</summary>
    public required IReadOnlyDictionary<string, long> Hypercalls { get; init; }

    /// <summary>SINTs the model asserted.</summary>
    public required long SintsAsserted { get; init; }

    /// <summary>Per VP: bytes its thread allocated in the exit loop after the first 1000 exits (the measured phase);
    /// -1 for a VP with fewer exits.</summary>
    public required IReadOnlyList<long> SteadyStateAllocatedBytes { get; init; }
}

/// <summary>One figure's result.</summary>
public sealed record BenchFigureDocument
{
    /// <summary>Stable id (<see cref="BenchFigure.Id"/>).</summary>
    public required string Id { get; init; }

    /// <summary>One-line description.</summary>
    public required string Title { get; init; }

    /// <summary>The machine that measured it.</summary>
    public required string Machine { get; init; }

    /// <summary>The floor's id, or null.</summary>
    public string? Floor { get; init; }

    /// <summary><c>contains</c>, <c>near</c> or <c>compare</c> (<see cref="FloorRelation"/>).</summary>
    public required string FloorRelation { get; init; }

    /// <summary>Measured samples (after the warm-up).</summary>
    public required int Samples { get; init; }

    /// <summary>Statistics in TSC cycles.</summary>
    public required LatencyStatistics Cycles { get; init; }

    /// <summary>The same in nanoseconds (cycles × 10⁶ / TSC kHz).</summary>
    public required LatencyStatistics Nanoseconds { get; init; }

    /// <summary>Median ÷ the floor's median.</summary>
    public double? RatioToFloor { get; init; }

    /// <summary>Median − the floor's median, in nanoseconds: for a signal over a null hypercall, the VMM's own share.</summary>
    public double? AboveFloorNs { get; init; }

    /// <summary>For the free-running stream: signals per second and SINT interrupts VP1 took per second.</summary>
    public BenchThroughputDocument? Throughput { get; init; }
}

/// <summary>Free-running throughput.</summary>
/// <param name="SignalsPerSecond">Completed HvSignalEvent calls per second on VP0 (measured phase).</param>
/// <param name="InterruptsPerSecond">SINTs VP1's handler took per second over the whole step (signals that found the
/// flag still set raise none).</param>
public sealed record BenchThroughputDocument(double SignalsPerSecond, double InterruptsPerSecond);

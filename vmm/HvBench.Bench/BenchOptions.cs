using HvBench.Vmm.Intercepts;

namespace HvBench.Bench;

/// <summary>What a bench run measures and how.</summary>
public sealed record BenchOptions
{
    /// <summary>The default of <c>--iterations</c>: a full run takes about half a minute where CPL 0 is emulated (2 cores, quiet).</summary>
    public const int DefaultIterations = 50_000;

    /// <summary>Measured iterations per figure.</summary>
    public int Iterations { get; init; } = DefaultIterations;

    /// <summary>Warm-up iterations per figure; null for <see cref="BenchMachinePlan.DefaultWarmup"/>.</summary>
    public int? Warmup { get; init; }

    /// <summary>VPs per machine (2 or more; VPs past 1 idle).</summary>
    public int Vcpus { get; init; } = 2;

    /// <summary>What the hypercall pages hold.</summary>
    public HypercallPageKind HypercallPage { get; init; } = HypercallPageKind.Vmcall;

    /// <summary>How VMCALLs are intercepted.</summary>
    public InterceptKind Intercept { get; init; } = InterceptKind.Auto;

    /// <summary><c>--figures</c> patterns (<see cref="BenchCatalogue.Select"/>); empty for all.</summary>
    public IReadOnlyList<string> Figures { get; init; } = [];

    /// <summary>The effective warm-up.</summary>
    public int EffectiveWarmup => Warmup ?? BenchMachinePlan.DefaultWarmup(Iterations);
}

using HvBench.Bench.Reports;

namespace HvBench.Bench;

/// <summary>A finished bench run: the report and every figure's measured samples in TSC cycles (warm-up removed).</summary>
public sealed record BenchRun(BenchReport Report, IReadOnlyDictionary<string, double[]> Samples);

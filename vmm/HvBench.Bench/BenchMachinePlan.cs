using HvBench.Guest.Images.Bench;

namespace HvBench.Bench;

/// <summary>One machine of a bench run: its guest's plan and, for each figure it measures, the series that holds it.</summary>
public sealed record BenchMachinePlan(BenchMachineKey Machine, BenchGuestPlan Guest, IReadOnlyList<(BenchFigure Figure, int Series)> Figures)
{
    /// <summary>Groups <paramref name="figures"/> by machine (in order of first appearance) and lays out each guest's
    /// steps in catalogue order, one step per distinct <see cref="BenchStep"/>.</summary>
    public static IReadOnlyList<BenchMachinePlan> Create(IReadOnlyList<BenchFigure> figures, int iterations, int warmup)
    {
        var plans = new List<BenchMachinePlan>();
        foreach (BenchMachineKey machine in figures.Select(f => f.Machine).Distinct())
        {
            var mine = figures.Where(f => f.Machine == machine).ToList();
            var steps = mine.Select(f => f.Step).Distinct().ToList();
            var guest = new BenchGuestPlan
            {
                Steps = steps,
                Iterations = iterations,
                Warmup = warmup,
                Convention = BenchNames.GuestConvention(machine.Convention),
            };
            guest.Validate();
            var series = mine.Select(f => (f, guest.FirstSeries(steps.IndexOf(f.Step)) + f.SeriesInStep)).ToList();
            plans.Add(new BenchMachinePlan(machine, guest, series));
        }
        return plans;
    }

    /// <summary>Warm-up iterations for <paramref name="iterations"/> measured ones: a tenth, at least 10, at most 1000.</summary>
    public static int DefaultWarmup(int iterations) => Math.Clamp(iterations / 10, 10, 1000);
}

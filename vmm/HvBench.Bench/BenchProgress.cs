namespace HvBench.Bench;

/// <summary>Where a bench run reports what it is doing (called on the runner's threads; must be quick).</summary>
public interface IBenchProgress
{
    /// <summary>The run is about to boot its first machine. <paramref name="header"/> is the report as far as it is
    /// known then (date, build, host with the load at the start, settings, warnings; no machines, figures or end
    /// load), for a header before any figure.</summary>
    void RunStarted(Reports.BenchReport header);

    /// <summary>Machine <paramref name="index"/> of <paramref name="count"/> is booting with these steps.</summary>
    void MachineStarted(int index, int count, BenchMachinePlan plan);

    /// <summary>The machine's guest moved to step <paramref name="step"/> (0-based).</summary>
    void StepStarted(BenchMachinePlan plan, int step, TimeSpan elapsed);

    /// <summary>The machine finished; its figures are ready.</summary>
    void MachineFinished(BenchMachinePlan plan, IReadOnlyList<Reports.BenchFigureDocument> figures, Reports.BenchMachineDocument machine);
}

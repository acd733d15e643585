using HvBench.Kvm;

namespace HvBench.Vmm.Configuration;

/// <summary>The machines of one scenario, one per partition, with their ports and connections in place
/// (<see cref="ScenarioSetup.Create"/>). Runs them together once and disposes them all.</summary>
public sealed class ScenarioMachines : IDisposable
{
    private readonly KvmSystem? _ownedKvm;

    internal ScenarioMachines(ScenarioPlan plan, IReadOnlyList<Machine> machines, KvmSystem? ownedKvm)
    {
        Plan = plan;
        Machines = machines;
        _ownedKvm = ownedKvm;
    }

    /// <summary>What the machines were built from.</summary>
    public ScenarioPlan Plan { get; }

    /// <summary>One machine per partition, in the order of <see cref="Scenario.EffectivePartitions"/>.</summary>
    public IReadOnlyList<Machine> Machines { get; }

    /// <summary>Runs every partition as one run (<see cref="Machine.RunTogether"/>) and returns the verdict.</summary>
    public RunResult Run(CancellationToken cancellation = default) => Machine.RunTogether(Machines, cancellation);

    /// <summary>Disposes every machine, then the KVM handle if the set opened it.</summary>
    public void Dispose()
    {
        foreach (Machine machine in Machines) machine.Dispose();
        _ownedKvm?.Dispose();
    }
}

namespace HvBench.Vmm.Configuration;

/// <summary>A scenario made ready to build (<see cref="ScenarioSetup.Plan"/>): the overrides applied, every image
/// loaded and checked, one <see cref="MachineConfig"/> per partition in <see cref="Scenario.EffectivePartitions"/>
/// order. Nothing here has touched KVM.</summary>
/// <param name="Scenario">The scenario with the command-line overrides applied.</param>
/// <param name="Configs">One configuration per partition, in the order of <see cref="Scenario.EffectivePartitions"/>.</param>
public sealed record ScenarioPlan(Scenario Scenario, IReadOnlyList<MachineConfig> Configs)
{
    /// <summary>The scenario's warnings, computed after the overrides (a port's VP or a connection's port is missing).</summary>
    public IReadOnlyList<string> Warnings => Scenario.Warnings;
}

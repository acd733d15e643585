using HvBench.Vmm.Intercepts;

namespace HvBench.Bench;

/// <summary>One bench machine: a partition's register convention and what its hypercall page holds. Figures that need the
/// same machine run in one guest, one after the other.</summary>
public sealed record BenchMachineKey(HypercallConvention Convention, HypercallPageKind Page)
{
    /// <summary>Short name for reports: <c>tlfs</c>, <c>rax</c>, <c>tlfs-io-page</c>.</summary>
    public string Name => $"{BenchNames.Of(Convention)}{(Page == HypercallPageKind.Io ? "-io-page" : "")}";
}

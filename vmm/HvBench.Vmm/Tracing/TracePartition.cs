namespace HvBench.Vmm.Tracing;

/// <summary>One partition as trace output shows it: its id (the trace's process), its VPs (threads) and the register
/// convention that says which registers a hypercall's inputs came from.</summary>
public sealed record TracePartition(ulong Id, int VpCount, HypercallConvention Convention);

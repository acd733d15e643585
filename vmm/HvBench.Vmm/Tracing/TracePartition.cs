using HvBench.Vmm.Loaders;

namespace HvBench.Vmm.Tracing;

/// <summary>One partition as trace output shows it: its id (the trace's process), its VPs (threads), the register
/// convention that says which registers a hypercall's inputs came from, and its image's symbols (empty without a
/// <c>.symtab</c>), which name the RIPs in trace lines.</summary>
public sealed record TracePartition(ulong Id, int VpCount, HypercallConvention Convention, SymbolTable? Symbols = null);

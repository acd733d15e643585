using HvBench.Kvm;

namespace HvBench.Vmm.Tracing;

/// <summary>What a trace event records.</summary>
public enum TraceEventKind
{
    /// <summary>A VM exit handled in user space.</summary>
    Exit,
    /// <summary>A hypercall and its result.</summary>
    Hypercall,
    /// <summary>A SINT asserted on a VP.</summary>
    Sint,
}

/// <summary>One trace event: a struct, so recording allocates nothing; formatted after the run.</summary>
/// <param name="Ticks">Stopwatch ticks since the run started.</param>
/// <param name="Partition">Partition id.</param>
/// <param name="Vp">The VP it happened on (for a SINT: the target VP).</param>
/// <param name="Kind">What happened.</param>
/// <param name="Reason">For exits: the exit reason.</param>
/// <param name="Detail">Exits: port, MSR index or RIP; hypercalls: the call code; SINTs: the vector.</param>
/// <param name="Input1">Hypercalls: the first input (connection id, or input GPA).</param>
/// <param name="Input2">Hypercalls: the second input (flag number, or output GPA).</param>
/// <param name="Status">Hypercalls: the HV_STATUS value.</param>
/// <param name="Fast">Hypercalls: the input value's Fast bit (bit 16), which says whether <paramref name="Input1"/> is
/// the input itself or the GPA of the input block.</param>
/// <param name="HasSignalEventInput">Hypercalls: a slow HvSignalEvent whose input block could be read, so
/// <paramref name="ConnectionId"/> and <paramref name="FlagNumber"/> hold what it asked for.</param>
/// <param name="ConnectionId">Slow HvSignalEvent: the block's ConnectionId.</param>
/// <param name="FlagNumber">Slow HvSignalEvent: the block's FlagNumber.</param>
public readonly record struct TraceEvent(long Ticks, ulong Partition, int Vp, TraceEventKind Kind, VcpuExitReason Reason,
    ulong Detail, ulong Input1, ulong Input2, ushort Status,
    bool Fast = false, bool HasSignalEventInput = false, uint ConnectionId = 0, ushort FlagNumber = 0);

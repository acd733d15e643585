namespace HvBench.Guest.Images.Bench;

/// <summary>What one step of a bench guest times on VP0, each iteration bracketed by <c>lfence; rdtsc</c>.</summary>
public enum BenchStepKind
{
    /// <summary>Nothing between the two TSC reads: the cost of the timing itself.</summary>
    TimerOverhead,

    /// <summary><c>out 0x80, al</c>: a bare port-I/O exit to user space (no device there).</summary>
    PortIoExit,

    /// <summary><c>wrmsr</c> of SINT15 with its reset value (masked): a filtered synthetic-MSR write the model answers.</summary>
    MsrWrite,

    /// <summary>A hypercall with an unknown call code (0xFFFF, fast): intercepted, decoded, answered
    /// HV_STATUS_INVALID_HYPERCALL_CODE, no work. Same instructions as a signal, other immediates.</summary>
    NullHypercall,

    /// <summary>Fast HvSignalEvent to VP1's SINT2 (the flag is clear, so the SINT is raised): VP0's round trip, and the
    /// one-way latency from VP0's TSC before the call to VP1's TSC at handler entry. VP0 waits for VP1's handler
    /// before the next iteration.</summary>
    SignalRoundTrip,

    /// <summary>HvSignalEvent to VP1's SINT3 whose flag is already set (VP1's handler never clears it): no interrupt.</summary>
    SignalAlreadySet,

    /// <summary>HvSignalEvent to VP1's SINT4, which is masked: HV_STATUS_INVALID_SYNIC_STATE, nothing set.</summary>
    SignalMaskedSint,

    /// <summary>HvPostMessage (slow, 256-byte input block) to VP1's SINT5: VP0's round trip, and the latency from VP0's
    /// TSC before the call to VP1's TSC at handler entry. VP0 waits until VP1 freed the slot.</summary>
    PostMessage,

    /// <summary>Free-running HvSignalEvent to VP1's SINT6 while VP1 consumes them: the interval between successive
    /// completions on VP0 (its inverse is signals per second).</summary>
    SignalThroughput,
}

using HvBench.Guest.Runtime;

namespace HvBench.Guest.Images.Bench;

/// <summary>One step of a bench guest: what is timed and, for hypercalls, how the call reaches the hypervisor.</summary>
/// <param name="Kind">What is timed.</param>
/// <param name="Route">Through the hypercall page or a direct VMCALL (ignored by steps that make no hypercall).</param>
public readonly record struct BenchStep(BenchStepKind Kind, HypercallRoute Route = HypercallRoute.Page)
{
    /// <summary>Sample series the step fills: two for the signal and message round trips (round trip, then the latency
    /// to VP1's handler), else one.</summary>
    public int SeriesCount => Kind is BenchStepKind.SignalRoundTrip or BenchStepKind.PostMessage ? 2 : 1;

    /// <summary>True when the step makes hypercalls.</summary>
    public bool IsHypercall => Kind is not (BenchStepKind.TimerOverhead or BenchStepKind.PortIoExit or BenchStepKind.MsrWrite);
}

using HvBench.Kvm;

namespace HvBench.Experiments.UserSpaceLapic;

/// <summary>What one run of <see cref="PingPongRun"/> measured: per-round samples in TSC cycles (warm-up rounds left
/// out) and the host-side work it took, counted over the whole run (warm-up included; set-up adds a handful of exits).</summary>
public sealed record PingPongResult(
    SignalPath Path,
    int TotalRounds,
    int TscKhz,
    ulong[] OneWayCycles,
    ulong[] RoundTripCycles,
    long Acknowledged,
    uint ApicIdSeenByVp1,
    long[][] ExitsByVp,
    long GetLapicCalls,
    long SetLapicCalls,
    long IsrBitsFoundSet,
    long StillRequestedWhenRead,
    double LapicIoctlMicroseconds,
    long Injected,
    long WindowRequests,
    long Blocks,
    long Kicks,
    TimeSpan Elapsed)
{
    /// <summary>Slot of <see cref="VcpuExitReason.Interrupted"/> in each <see cref="ExitsByVp"/> array; other reasons use their value.</summary>
    public const int InterruptedSlot = 63;

    /// <summary>Index into an <see cref="ExitsByVp"/> array.</summary>
    public static int SlotOf(VcpuExitReason reason) => reason == VcpuExitReason.Interrupted ? InterruptedSlot : Math.Min((int)reason, InterruptedSlot - 1);

    /// <summary>VP <paramref name="vp"/>'s exits of <paramref name="reason"/> per round.</summary>
    public double PerRound(int vp, VcpuExitReason reason) => (double)ExitsByVp[vp][SlotOf(reason)] / TotalRounds;
}

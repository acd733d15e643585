using System.Diagnostics;

namespace HvBench.Vmm;

/// <summary>What the machines of one run share: the clock, the first verdict, the stop signal and the watchdog.
/// One machine has one; partitions run together (<see cref="Machine.JoinRun"/>) share one.</summary>
internal sealed class RunControl(TimeSpan timeout)
{
    private readonly ManualResetEventSlim _stopped = new();
    private Verdict? _verdict;

    public sealed record Verdict(RunOutcome Outcome, uint? ExitCode, string Reason);

    public List<Machine> Machines { get; } = [];

    public List<VcpuRunner> Runners { get; } = [];

    public Stopwatch Clock { get; } = new();

    public TimeSpan Timeout { get; } = timeout;

    public bool Started { get; set; }

    public bool Stopping => Volatile.Read(ref _verdict) is not null;

    public Verdict? Result => Volatile.Read(ref _verdict);

    /// <summary>Ends the run with the first verdict given; later ones are ignored. Kicks every VP.</summary>
    public void Stop(RunOutcome outcome, uint? exitCode, string reason)
    {
        if (Interlocked.CompareExchange(ref _verdict, new Verdict(outcome, exitCode, reason), null) is not null) return;
        foreach (var runner in Runners) runner.Kick();
        _stopped.Set();
    }

    /// <summary>The watchdog: ends the run on timeout, and when every VP has halted with interrupts off.
    /// VPs that made no exit since the last look are kicked once to report whether they are halted. Between looks it
    /// kicks, every millisecond, any VP with an auto-EOI vector whose ISR bit still waits to be cleared at its next exit
    /// (<see cref="Hyperv.AutoEoi.Injected"/>), so that wait lasts a millisecond at most.</summary>
    public void Watch()
    {
        var look = TimeSpan.FromMilliseconds(100);
        var autoEoiPoll = TimeSpan.FromMilliseconds(1);
        long[] lastExits = new long[Runners.Count];
        int allHaltedTicks = 0;
        TimeSpan nextLook = Clock.Elapsed + look;
        while (!Stopping)
        {
            TimeSpan now = Clock.Elapsed;
            TimeSpan untilTimeout = Timeout - now;
            if (untilTimeout <= TimeSpan.Zero)
            {
                Stop(RunOutcome.TimedOut, null, $"timed out after {FormatSeconds(Timeout)}");
                break;
            }
            TimeSpan wait = Min(untilTimeout, Max(nextLook - now, TimeSpan.Zero));
            if (AnyAutoEoiWaiting()) wait = Min(wait, autoEoiPoll);
            if (_stopped.Wait(wait)) break;
            foreach (VcpuRunner runner in Runners)
                if (runner.HasAutoEoiWaiting) runner.Kick();
            if (Clock.Elapsed < nextLook) continue;
            nextLook = Clock.Elapsed + look;

            bool allHalted = true;
            for (int i = 0; i < Runners.Count; i++)
            {
                VcpuRunner runner = Runners[i];
                if (runner.HasFinished) Stop(RunOutcome.HostError, null, $"VP{runner.VpIndex}'s thread ended without a verdict");
                long exits = runner.GuestExits;
                if (exits != lastExits[i] || !runner.HaltedWithInterruptsOff) allHalted = false;
                if (exits == lastExits[i]) runner.RequestHaltProbe();
                lastExits[i] = exits;
            }
            // Two quiet looks in a row (the second after the probes' answers) before calling it.
            allHaltedTicks = allHalted ? allHaltedTicks + 1 : 0;
            if (allHaltedTicks >= 2) Stop(RunOutcome.AllHalted, null, "all VPs halted with interrupts disabled");
        }
    }

    private bool AnyAutoEoiWaiting()
    {
        foreach (VcpuRunner runner in Runners)
            if (runner.HasAutoEoiWaiting) return true;
        return false;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    public void Dispose() => _stopped.Dispose();

    private static string FormatSeconds(TimeSpan t) => t.TotalSeconds >= 1 && t.TotalSeconds == Math.Floor(t.TotalSeconds)
        ? $"{t.TotalSeconds:0} s" : $"{t.TotalSeconds:0.###} s";
}

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
    /// VPs that made no exit since the last look are kicked once to report whether they are halted.</summary>
    public void Watch()
    {
        var tick = TimeSpan.FromMilliseconds(100);
        long[] lastExits = new long[Runners.Count];
        int allHaltedTicks = 0;
        while (!Stopping)
        {
            TimeSpan untilTimeout = Timeout - Clock.Elapsed;
            if (untilTimeout <= TimeSpan.Zero)
            {
                Stop(RunOutcome.TimedOut, null, $"timed out after {FormatSeconds(Timeout)}");
                break;
            }
            if (_stopped.Wait(untilTimeout < tick ? untilTimeout : tick)) break;
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

    public void Dispose() => _stopped.Dispose();

    private static string FormatSeconds(TimeSpan t) => t.TotalSeconds >= 1 && t.TotalSeconds == Math.Floor(t.TotalSeconds)
        ? $"{t.TotalSeconds:0} s" : $"{t.TotalSeconds:0.###} s";
}

using HvBench.Vmm.Reports;

namespace HvBench.Vmm;

/// <summary>How a run ended.</summary>
public enum RunOutcome
{
    /// <summary>The guest wrote 0 to the exit port.</summary>
    Pass,
    /// <summary>The guest wrote a non-zero exit code.</summary>
    GuestFailed,
    /// <summary>The guest faulted: triple fault, shutdown, an instruction KVM could not run, a failed entry.</summary>
    GuestFault,
    /// <summary>Every VP halted with interrupts disabled.</summary>
    AllHalted,
    /// <summary>The run's timeout expired.</summary>
    TimedOut,
    /// <summary>The caller cancelled the run.</summary>
    Cancelled,
    /// <summary>A host-side failure (a KVM call failed) ended the run.</summary>
    HostError,
}

/// <summary>The verdict of a run and what the VMM saw: console text, registers of every VP, counters.</summary>
public sealed record RunResult(
    RunOutcome Outcome,
    uint? GuestExitCode,
    string Reason,
    string ConsoleText,
    IReadOnlyList<RegisterSnapshot> Registers,
    RunStatistics Statistics,
    TimeSpan Elapsed,
    GuestResults? Results)
{
    /// <summary>True for <see cref="RunOutcome.Pass"/>.</summary>
    public bool Passed => Outcome == RunOutcome.Pass;

    /// <summary>"PASS", or "FAIL: reason".</summary>
    public string Verdict => Passed ? "PASS" : $"FAIL: {Reason}";

    /// <summary>The exception the guest reported through its fault record (docs/guest-abi.md), if that ended the run.</summary>
    public GuestFaultReport? Fault { get; init; }

    /// <summary>The failed check the guest reported through its assertion record (docs/guest-abi.md), if any.</summary>
    public GuestAssertionReport? Assertion { get; init; }
}

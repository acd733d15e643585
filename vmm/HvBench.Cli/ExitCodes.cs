namespace HvBench.Cli;

/// <summary>The exit statuses of <c>hvbench</c>, which scripts rely on (documented in --help and README.md).</summary>
public static class ExitCodes
{
    /// <summary>The guest passed.</summary>
    public const int Pass = 0;
    /// <summary>The guest failed: non-zero exit code, fault, or all VPs halted.</summary>
    public const int GuestFail = 1;
    /// <summary>Bad command line, image or scenario file; nothing ran.</summary>
    public const int UsageError = 2;
    /// <summary>The host could not run it: no /dev/kvm, a KVM call failed (also an unexpected internal error).</summary>
    public const int HostError = 3;
    /// <summary>The run's timeout expired.</summary>
    public const int Timeout = 124;
    /// <summary>Interrupted by Ctrl-C or SIGTERM.</summary>
    public const int Interrupted = 130;

    /// <summary>The text --help shows.</summary>
    public const string Help = "Exit codes: 0 pass, 1 guest fail, 2 usage, image or scenario error, 3 host or KVM error (e.g. no /dev/kvm), 124 timeout, 130 interrupted (Ctrl-C or SIGTERM).";

    /// <summary>The text <c>hvbench caps --help</c> shows.</summary>
    public const string CapsHelp = "Exit codes: 0 the host was probed, 2 usage error, 3 host or KVM error (e.g. no /dev/kvm).";

    /// <summary>The text <c>hvbench bench --help</c> shows.</summary>
    public const string BenchHelp = "Exit codes: 0 measured, 1 a bench guest failed its checks, 2 usage error, 3 host or KVM error (e.g. no /dev/kvm), 130 interrupted.";

    /// <summary>The exit status for a run's outcome.</summary>
    public static int For(HvBench.Vmm.RunOutcome outcome) => outcome switch
    {
        HvBench.Vmm.RunOutcome.Pass => Pass,
        HvBench.Vmm.RunOutcome.TimedOut => Timeout,
        HvBench.Vmm.RunOutcome.Cancelled => Interrupted,
        HvBench.Vmm.RunOutcome.HostError => HostError,
        _ => GuestFail,
    };
}

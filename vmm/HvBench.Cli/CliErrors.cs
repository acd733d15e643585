using HvBench.Kvm;
using HvBench.Vmm;
using HvBench.Vmm.Configuration;
using HvBench.Vmm.Loaders;

namespace HvBench.Cli;

/// <summary>Turns an error into one line on stderr and an exit code. The stack trace is shown only with --verbose.</summary>
internal static class CliErrors
{
    /// <summary>The exit code for an error: 2 for what the user can fix in the command, image or scenario; 3 for
    /// what the host could not do, and for anything unexpected.</summary>
    public static int ExitCodeFor(Exception e) => e switch
    {
        UsageException or ImageFormatException or ScenarioException => ExitCodes.UsageError,
        MachineException { InnerException: null } => ExitCodes.UsageError,
        _ => ExitCodes.HostError,
    };

    /// <summary>Prints <c>hvbench: message</c> (with the stack trace when <paramref name="verbose"/>) and returns the exit code.</summary>
    public static int Report(Exception e, bool verbose)
    {
        bool known = e is UsageException or ImageFormatException or ScenarioException or MachineException or KvmException or HostException;
        string message = OneLine(e.Message);
        if (!known) message = $"internal error: {e.GetType().Name}: {message}{(verbose ? "" : " (--verbose shows the stack trace)")}";
        Console.Error.WriteLine($"hvbench: {message}");
        if (verbose) Console.Error.WriteLine(e.ToString());
        return ExitCodeFor(e);
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}

using HvBench.Kvm;
using HvBench.Vmm;
using HvBench.Vmm.Configuration;
using HvBench.Vmm.Loaders;

namespace HvBench.Cli;

/// <summary>Turns the errors a user can cause or meet into one line on stderr and an exit code; no stack trace
/// unless --verbose.</summary>
internal static class CliErrors
{
    public static bool IsKnown(Exception e) =>
        e is UsageException or ImageFormatException or ScenarioException or MachineException or KvmException;

    public static int Report(Exception e)
    {
        Console.Error.WriteLine($"hvbench: {e.Message}");
        return e switch
        {
            UsageException or ImageFormatException or ScenarioException => ExitCodes.UsageError,
            MachineException { InnerException: null } => ExitCodes.UsageError,
            _ => ExitCodes.HostError,
        };
    }
}

using System.CommandLine;
using HvBench.Cli;

// hvbench: boot test guests on KVM with a Hyper-V event-signalling model, and measure them.
var root = new RootCommand($"HvBench: a hypervisor testbench for Hyper-V-enlightened guests on Linux KVM.\n{ExitCodes.Help}");
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(CapsCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    // A usage error is one line, like every other error, and exit code 2.
    // The most specific error first: "Unrecognized command or argument 'x'" says more than "Required command was not provided".
    var error = parse.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parse.Errors[0];
    Console.Error.WriteLine($"hvbench: {UsageMessages.Plain(error.Message)} (see hvbench --help)");
    return ExitCodes.UsageError;
}

// ProcessTerminationTimeout = null: `run` handles SIGINT/SIGTERM itself, stopping the VM and reporting what happened.
return parse.Invoke(new InvocationConfiguration { ProcessTerminationTimeout = null });

using System.CommandLine;
using HvBench.Cli;

// hvbench: boot test guests on KVM with a Hyper-V event-signalling model, and measure them.
var root = new RootCommand($"HvBench: a hypervisor testbench for Hyper-V-enlightened guests on Linux KVM.\n{ExitCodes.Help}");
root.Subcommands.Add(RunCommand.Create());
var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    Console.Error.WriteLine($"hvbench: {parse.Errors[0].Message} (see hvbench --help)");
    return ExitCodes.UsageError;
}
return parse.Invoke(new InvocationConfiguration { ProcessTerminationTimeout = null });

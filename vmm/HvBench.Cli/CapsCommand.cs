using System.CommandLine;
using System.Text.Json;
using HvBench.Cli.Json;
using HvBench.Vmm.Host;

namespace HvBench.Cli;

/// <summary><c>hvbench caps</c>: what this host's KVM offers HvBench, and what will not work here and why.</summary>
internal static class CapsCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "print one JSON document instead of text" };
        var kvmDevice = new Option<string?>("--kvm-device") { Description = KvmDevice.Description, HelpName = "PATH" };
        var verbose = new Option<bool>("--verbose") { Description = "show stack traces of errors" };
        var command = new Command("caps",
            "Show the KVM API version, hardware or software virtualization, whether guest CPL 0 is emulated (measured with a " +
            "short calibration guest), the KVM capabilities HvBench uses, the TSC frequency, the hypercall intercept and how many " +
            $"direct VMCALL sites it allows, and what will not work on this host and why.\n{ExitCodes.CapsHelp}")
        {
            json, kvmDevice, verbose,
        };
        command.SetAction(parse =>
        {
            try
            {
                HostCapabilities host = HostCapabilities.Probe(KvmDevice.Resolve(parse.GetValue(kvmDevice)));
                if (parse.GetValue(json)) Console.Out.WriteLine(JsonSerializer.Serialize(CapsReport.Document(host), CliJsonContext.Default.CapsDocument));
                else CapsReport.Print(host, Console.Out);
                return ExitCodes.Pass;
            }
            catch (Exception e)
            {
                return CliErrors.Report(e, parse.GetValue(verbose));
            }
        });
        return command;
    }
}

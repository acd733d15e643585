using System.CommandLine;
using System.Runtime.InteropServices;
using HvBench.Kvm;
using HvBench.Vmm;
using HvBench.Vmm.Boot;
using HvBench.Vmm.Configuration;
using HvBench.Vmm.Loaders;

namespace HvBench.Cli;

/// <summary><c>hvbench run IMAGE</c>: boots an image and exits with its verdict.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var image = new Argument<string>("IMAGE") { Description = "guest image: ELF64, or a flat binary (.bin or --format flat)" };
        var vcpus = new Option<int?>("--vcpus") { Description = "number of virtual processors (default 1)" };
        var memory = new Option<string?>("--memory") { Description = "guest RAM: a size with K, M or G (default 64M)" };
        var timeout = new Option<string?>("--timeout") { Description = "wall-clock limit: 500ms, 30s, 2m or a number of seconds (default 30s)" };
        var format = new Option<string?>("--format") { Description = "image format: elf or flat (default: by content and name)" };
        var loadAddress = new Option<string?>("--load-address") { Description = "where a flat binary is loaded (default 0x100000)" };
        var verbose = new Option<bool>("--verbose") { Description = "show stack traces of host-side errors" };
        var command = new Command("run", $"Boot IMAGE on KVM and exit with the guest's verdict.\n{ExitCodes.Help}")
        {
            image, vcpus, memory, timeout, format, loadAddress, verbose,
        };
        command.SetAction(parse =>
        {
            bool isVerbose = parse.GetValue(verbose);
            try
            {
                var options = new RunOptions(
                    parse.GetValue(image)!, parse.GetValue(vcpus), parse.GetValue(memory), parse.GetValue(timeout),
                    parse.GetValue(format), parse.GetValue(loadAddress));
                return Execute(options);
            }
            catch (Exception e) when (!isVerbose && CliErrors.IsKnown(e))
            {
                return CliErrors.Report(e);
            }
        });
        return command;
    }

    private sealed record RunOptions(string Image, int? Vcpus, string? Memory, string? Timeout, string? Format, string? LoadAddress);

    private static int Execute(RunOptions options)
    {
        int vcpus = options.Vcpus ?? 1;
        if (vcpus < 1) throw new UsageException($"--vcpus: {vcpus} is out of range 1..");
        ulong memory = options.Memory is null ? MachineConfig.DefaultMemoryBytes : ParseOption<ulong>("--memory", options.Memory, MemorySize.TryParse);
        TimeSpan timeout = options.Timeout is null ? TimeSpan.FromSeconds(30) : ParseOption<TimeSpan>("--timeout", options.Timeout, Duration.TryParse);
        GuestImageFormat? format = options.Format switch
        {
            null => null,
            "elf" => GuestImageFormat.Elf64,
            "flat" => GuestImageFormat.Flat,
            _ => throw new UsageException($"--format: '{options.Format}' is not one of elf, flat"),
        };
        ulong loadAddress = options.LoadAddress is null ? ImageLoadOptions.DefaultFlatLoadAddress : ParseAddress(options.LoadAddress);

        GuestImage image = ImageLoader.Load(options.Image, new ImageLoadOptions
        {
            Format = format,
            FlatLoadAddress = loadAddress,
            HighestAddress = BootLayout.StacksBottom(memory, vcpus),
        });
        var config = new MachineConfig
        {
            Image = image,
            VcpuCount = vcpus,
            MemoryBytes = memory,
            Timeout = timeout,
            OnConsoleLine = line => Console.Out.WriteLine(line),
        };

        using var interrupted = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; interrupted.Cancel(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; interrupted.Cancel(); });
        using var machine = Machine.Create(config);
        RunResult result = machine.Run(interrupted.Token);
        Console.Out.Flush();
        RunReport.Print(result, Console.Out);
        return ExitCodes.For(result.Outcome);
    }

    private delegate bool TryParser<T>(string? text, out T value, out string? error);

    private static T ParseOption<T>(string name, string text, TryParser<T> parser) =>
        parser(text, out T value, out string? error) ? value : throw new UsageException($"{name}: {error}");

    private static ulong ParseAddress(string text)
    {
        bool hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        return ulong.TryParse(hex ? text[2..] : text, hex ? System.Globalization.NumberStyles.HexNumber : System.Globalization.NumberStyles.None, null, out ulong value)
            ? value
            : throw new UsageException($"--load-address: '{text}' is not an address (decimal or 0x hex)");
    }
}

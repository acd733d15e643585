using System.Diagnostics;
using HvBench.Tests;

namespace HvBench.Vmm.Tests.Cli;

/// <summary>Runs the real <c>hvbench</c> program (the built HvBench.Cli) as a child process.</summary>
internal static class HvbenchProcess
{
    public sealed record Output(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed);

    private static string Dll => Path.Combine(AppContext.BaseDirectory, "hvbench.dll");

    public static Output Run(params string[] args) => Run(TimeSpan.FromSeconds(60), args);

    public static Output Run(TimeSpan limit, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryPaths.Root };
        start.ArgumentList.Add(Dll);
        foreach (string arg in args) start.ArgumentList.Add(arg);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"hvbench {string.Join(' ', args)} did not finish within {limit.TotalSeconds} s");
        }
        return new Output(process.ExitCode, stdout.Result, stderr.Result, clock.Elapsed);
    }
}

using System.Diagnostics;

namespace HvBench.Vmm.Tests.Loaders;

/// <summary>Runs a binutils program for the tests that check images against the real toolchain.</summary>
internal static class ExternalTool
{
    /// <summary>Runs <paramref name="tool"/> from PATH with LC_ALL=C, or ignores the test when it is not installed.</summary>
    public static (int Status, string Stdout, string Stderr) Run(string tool, string? workingDirectory, params string[] arguments)
    {
        string? path = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists);
        if (path is null)
        {
            Assert.Ignore($"{tool} is not on PATH (install binutils to check images against the real toolchain)");
        }

        var start = new ProcessStartInfo(path!) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Untranslated messages, so that assertions on readelf's wording hold on any host.
        start.Environment["LC_ALL"] = "C";
        using Process process = Process.Start(start)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }
}

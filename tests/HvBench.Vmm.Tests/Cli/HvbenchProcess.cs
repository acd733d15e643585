using System.Diagnostics;
using System.Text;
using HvBench.Tests;

namespace HvBench.Vmm.Tests.Cli;

/// <summary>Runs the real <c>hvbench</c> program (the built HvBench.Cli) as a child process.</summary>
internal static class HvbenchProcess
{
    public sealed record Output(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
    {
        /// <summary>Stderr without the trailing line break: an error is exactly this one line.</summary>
        public string ErrorLine => Stderr.TrimEnd('\n', '\r');
    }

    private static string Dll => Path.Combine(AppContext.BaseDirectory, "hvbench.dll");

    public static Output Run(params string[] args) => Run(TimeSpan.FromSeconds(60), args);

    public static Output Run(TimeSpan limit, params string[] args) => Run(limit, null, args);

    public static Output Run(TimeSpan limit, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using Running running = Start(environment, args);
        return running.WaitForExit(limit);
    }

    /// <summary>Starts hvbench and returns at once; stdout and stderr are collected as they arrive.</summary>
    public static Running Start(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryPaths.Root };
        start.ArgumentList.Add(Dll);
        foreach (string arg in args) start.ArgumentList.Add(arg);
        if (environment is not null)
            foreach (var (name, value) in environment) start.Environment[name] = value;
        return new Running(Process.Start(start)!, args);
    }

    /// <summary>A started hvbench.</summary>
    public sealed class Running : IDisposable
    {
        private readonly Process _process;
        private readonly string[] _args;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly StringBuilder _stdout = new();
        private readonly StringBuilder _stderr = new();
        private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Running(Process process, string[] args)
        {
            _process = process;
            _args = args;
            process.OutputDataReceived += (_, e) => Append(_stdout, e.Data, _stdoutClosed);
            process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data, _stderrClosed);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public int Id => _process.Id;

        /// <summary>Waits until stdout holds <paramref name="text"/>; fails the test if it does not in time.</summary>
        public void WaitForStdout(string text, TimeSpan limit)
        {
            var deadline = DateTime.UtcNow + limit;
            while (DateTime.UtcNow < deadline)
            {
                lock (_stdout) if (_stdout.ToString().Contains(text, StringComparison.Ordinal)) return;
                if (_process.HasExited) break;
                Thread.Sleep(20);
            }
            Assert.Fail($"hvbench {string.Join(' ', _args)} printed no \"{text}\" within {limit.TotalSeconds} s; stdout: {Text(_stdout)} stderr: {Text(_stderr)}");
        }

        /// <summary>Sends a signal the way a shell does (<c>kill -INT pid</c>).</summary>
        public void Signal(string name)
        {
            using var kill = Process.Start("kill", [$"-{name}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
            kill.WaitForExit();
            Assert.That(kill.ExitCode, Is.Zero, $"kill -{name} {_process.Id}");
        }

        public Output WaitForExit(TimeSpan limit)
        {
            if (!_process.WaitForExit(limit))
            {
                _process.Kill(entireProcessTree: true);
                Assert.Fail($"hvbench {string.Join(' ', _args)} did not finish within {limit.TotalSeconds} s; stdout so far: {Text(_stdout)}");
            }
            Task.WaitAll([_stdoutClosed.Task, _stderrClosed.Task], TimeSpan.FromSeconds(10));
            return new Output(_process.ExitCode, Text(_stdout), Text(_stderr), _clock.Elapsed);
        }

        public void Dispose()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.Dispose();
        }

        private static void Append(StringBuilder text, string? line, TaskCompletionSource closed)
        {
            if (line is null)
            {
                closed.TrySetResult();
                return;
            }
            lock (text) text.Append(line).Append('\n');
        }

        private static string Text(StringBuilder text)
        {
            lock (text) return text.ToString();
        }
    }
}

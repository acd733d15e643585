using Iced.Intel;

namespace HvBench.Guest.Runtime;

/// <summary>Guest-side checks: <see cref="Failure"/> gives a label to jump to when a check fails; the failure block prints
/// "ASSERTION FAILED: message" and ends the run with exit code 100 + the check's number.</summary>
public sealed class Assertions
{
    /// <summary>Exit code of the first check; check n exits with this + n.</summary>
    public const uint FirstExitCode = 100;

    private readonly GuestBuilder _builder;
    private readonly GuestConsole _console;
    private readonly List<(Label Label, string Message)> _failures = [];

    /// <summary>Checks that report through <paramref name="console"/>.</summary>
    public Assertions(GuestBuilder builder, GuestConsole console)
    {
        _builder = builder;
        _console = console;
    }

    /// <summary>The messages, in check order (check n has exit code <see cref="FirstExitCode"/> + n).</summary>
    public IReadOnlyList<string> Messages => _failures.Select(f => f.Message).ToList();

    /// <summary>A label that ends the run as a failed check with <paramref name="message"/>.</summary>
    public Label Failure(string message)
    {
        Label label = _builder.Function($"assert_failed_{_failures.Count}");
        _failures.Add((label, message));
        return label;
    }

    /// <summary>Emits the failure blocks; call once after the code.</summary>
    public void EmitRoutines()
    {
        for (int i = 0; i < _failures.Count; i++)
        {
            var (label, message) = _failures[i];
            _builder.Bind(ref label);
            _console.Print($"ASSERTION FAILED: {message}\n");
            Exit.EmitExit(_builder.Asm, FirstExitCode + (uint)i);
        }
    }
}

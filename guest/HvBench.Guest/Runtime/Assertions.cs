using System.Runtime.CompilerServices;
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Guest.Runtime;

/// <summary>Guest-side checks that say what failed and where. <see cref="Failure"/> gives a label to jump to when a
/// check fails; <see cref="IsZero(AssemblerRegister64, string, string, int)"/>, <see cref="AreEqual(AssemblerRegister64, int, string, string, int)"/>
/// and <see cref="BitIsSet"/> emit the whole check. A failed check fills the assertion record at the symbol
/// <c>hvbench_assertion</c> (docs/guest-abi.md, "Assertion record": VP index, check number, the check's RIP, its
/// message and its C# location), prints "ASSERTION FAILED: message (File.cs:line)" and ends the run with exit code
/// <see cref="FirstExitCode"/> + the check's number. The host prints the message, the location, and the check's
/// instruction with its symbol.</summary>
public sealed class Assertions
{
    /// <summary>Exit code of the first check; check n exits with this + n.</summary>
    public const uint FirstExitCode = 100;
    /// <summary>The symbol the host looks for.</summary>
    public const string SymbolName = "hvbench_assertion";
    /// <summary>"HVBASSRT" little-endian: the record is complete.</summary>
    public const ulong Magic = 0x5452535341425648;
    /// <summary>Bytes reserved for the record.</summary>
    public const int RecordSize = 64;
    /// <summary>Offsets of the record's 64-bit fields: VP index, check number, the check's RIP, and the GPAs of its
    /// NUL-terminated message and location.</summary>
    public const int VpIndexOffset = 8, CheckOffset = 16, RipOffset = 24, MessageOffset = 32, LocationOffset = 40;

    private const uint LapicIdRegister = Lapic.Base + 0x20;
    private readonly GuestBuilder _builder;
    private readonly GuestConsole _console;
    private readonly List<Check> _checks = [];
    private Label _report;

    private sealed record Check(Label Failure, Label Site, string Message, string Location);

    /// <summary>Checks that report through <paramref name="console"/> and the assertion record.</summary>
    public Assertions(GuestBuilder builder, GuestConsole console)
    {
        _builder = builder;
        _console = console;
        Record = builder.Allocate(SymbolName, RecordSize, 64);
    }

    /// <summary>Guest-physical address of the assertion record.</summary>
    public ulong Record { get; }

    /// <summary>The messages, in check order (check n has exit code <see cref="FirstExitCode"/> + n).</summary>
    public IReadOnlyList<string> Messages => _checks.Select(c => c.Message).ToList();

    /// <summary>The checks' C# locations ("File.cs:line"), in check order.</summary>
    public IReadOnlyList<string> Locations => _checks.Select(c => c.Location).ToList();

    /// <summary>A label that ends the run as a failed check with <paramref name="message"/>. Use it as the operand of
    /// the conditional jump (<c>a.jnz(checks.Failure("..."))</c>): the next instruction emitted is the check's
    /// location in the guest.</summary>
    public Label Failure(string message, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        Label site = _builder.Asm.CreateLabel();
        _builder.Bind(ref site);
        return Declare(site, message, file, line);
    }

    /// <summary>Fails with <paramref name="message"/> unless <paramref name="value"/> is 0.</summary>
    public void IsZero(AssemblerRegister64 value, string message, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        Label failure = Site(message, file, line);
        _builder.Asm.test(value, value);
        _builder.Asm.jnz(failure);
    }

    /// <summary>Fails with <paramref name="message"/> unless <paramref name="value"/> is 0 (e.g. <c>ax</c>, a hypercall's status).</summary>
    public void IsZero(AssemblerRegister16 value, string message, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        Label failure = Site(message, file, line);
        _builder.Asm.test(value, value);
        _builder.Asm.jnz(failure);
    }

    /// <summary>Fails with <paramref name="message"/> unless <paramref name="actual"/> equals <paramref name="expected"/>.</summary>
    public void AreEqual(AssemblerRegister64 actual, int expected, string message, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        Label failure = Site(message, file, line);
        _builder.Asm.cmp(actual, expected);
        _builder.Asm.jne(failure);
    }

    /// <summary>Fails with <paramref name="message"/> unless the 64-bit word at <paramref name="address"/> equals
    /// <paramref name="expected"/> (clobbers RAX).</summary>
    public void AreEqual(ulong address, int expected, string message, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        Label failure = Site(message, file, line);
        _builder.Asm.mov(rax, address);
        _builder.Asm.cmp(__qword_ptr[rax], expected);
        _builder.Asm.jne(failure);
    }

    /// <summary>Fails with <paramref name="message"/> unless bit <paramref name="bit"/> (0..63) of the 64-bit word at
    /// <paramref name="address"/> is set, e.g. a flag in a SIEF slot (clobbers RAX).</summary>
    public void BitIsSet(ulong address, int bit, string message, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bit, 63);
        Label failure = Site(message, file, line);
        _builder.Asm.mov(rax, address);
        _builder.Asm.bt(__qword_ptr[rax], (byte)bit);
        _builder.Asm.jnc(failure);
    }

    /// <summary>Emits the failure blocks and the reporting routine; call once after the code (and before
    /// <see cref="GuestConsole.EmitRoutines"/>, whose strings these blocks add to).</summary>
    public void EmitRoutines()
    {
        if (_checks.Count == 0) return;
        var a = _builder.Asm;
        _report = _builder.Function("assert_report");
        for (int i = 0; i < _checks.Count; i++)
        {
            Check check = _checks[i];
            Label failure = check.Failure;
            // The texts go into the console's string table, after all code.
            Label message = _console.DefineString(check.Message), location = _console.DefineString(check.Location);
            _builder.Bind(ref failure);
            a.mov(edi, i);
            a.lea(rsi, __[check.Site]);
            a.lea(r8, __[message]);
            a.lea(r9, __[location]);
            a.jmp(_report);
        }

        // assert_report: EDI = check number, RSI = the check's RIP, R8 = message, R9 = location.
        Label print = a.CreateLabel(), halt = a.CreateLabel();
        _builder.Bind(ref _report);
        a.mov(rbx, Record);
        a.xor(eax, eax);
        a.mov(rcx, Exceptions.ClaimMagic);
        a.@lock.cmpxchg(__qword_ptr[rbx], rcx);     // the first failed check (on any VP) keeps the record
        a.jnz(print);
        a.mov(__qword_ptr[rbx + CheckOffset], rdi);
        a.mov(__qword_ptr[rbx + RipOffset], rsi);
        a.mov(__qword_ptr[rbx + MessageOffset], r8);
        a.mov(__qword_ptr[rbx + LocationOffset], r9);
        a.mov(eax, LapicIdRegister);                // the VP index is the APIC id (guest-abi.md)
        a.mov(eax, __dword_ptr[rax]);
        a.shr(eax, 24);
        a.mov(__qword_ptr[rbx + VpIndexOffset], rax);
        a.mov(rax, Magic);
        a.mov(__qword_ptr[rbx], rax);
        a.Label(ref print);
        _console.Print("ASSERTION FAILED: ");       // the console routines keep RDI, R8 and R9
        _console.PrintFrom(r8);
        _console.Print(" (");
        _console.PrintFrom(r9);
        _console.Print(")\n");
        a.lea(eax, __[rdi + (int)FirstExitCode]);
        a.@out(Exit.Port, eax);
        a.Label(ref halt);
        a.cli();
        a.hlt();
        a.jmp(halt);
    }

    private Label Site(string message, string file, int line)
    {
        Label site = _builder.Asm.CreateLabel();
        _builder.Bind(ref site);
        return Declare(site, message, file, line);
    }

    private Label Declare(Label site, string message, string file, int line)
    {
        Label failure = _builder.Function($"assert_failed_{_checks.Count}");
        // Only the file name: the image must not depend on where the repository was cloned.
        _checks.Add(new Check(failure, site, message, $"{Path.GetFileName(file)}:{line}"));
        return failure;
    }
}

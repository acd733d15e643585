using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Guest.Runtime;

/// <summary>Console output on port 0xE9: string and decimal printing routines, emitted once per guest.</summary>
public sealed class GuestConsole
{
    /// <summary>The debug console port (guest-abi.md).</summary>
    public const byte Port = 0xE9;

    private readonly GuestBuilder _builder;
    private Label _printString;
    private Label _printDecimal;
    private readonly List<(Label Label, byte[] Text)> _strings = [];

    /// <summary>Declares the routines; <see cref="EmitRoutines"/> places them.</summary>
    public GuestConsole(GuestBuilder builder)
    {
        _builder = builder;
        _printString = builder.Function("print_string");
        _printDecimal = builder.Function("print_decimal");
    }

    /// <summary>Prints a constant string (emits a call; clobbers RSI, RAX, RDX).</summary>
    public void Print(string text)
    {
        Label label = _builder.Object($"str{_strings.Count}");
        _strings.Add((label, System.Text.Encoding.ASCII.GetBytes(text + '\0')));
        var a = _builder.Asm;
        a.lea(rsi, __[label]);
        a.call(_printString);
    }

    /// <summary>Prints the unsigned value of <paramref name="value"/> in decimal (clobbers RAX, RCX, RDX, RSI, RDI).</summary>
    public void PrintDecimal(AssemblerRegister64 value)
    {
        var a = _builder.Asm;
        if (value != rax) a.mov(rax, value);
        a.call(_printDecimal);
    }

    /// <summary>Emits the routines and the string table; call once, after the code that uses them.</summary>
    public void EmitRoutines()
    {
        var a = _builder.Asm;
        // print_string: RSI = NUL-terminated text.
        _builder.Bind(ref _printString);
        Label loop = a.CreateLabel(), done = a.CreateLabel();
        a.mov(edx, Port);
        a.Label(ref loop);
        a.lodsb();
        a.test(al, al);
        a.jz(done);
        a.@out(dx, al);
        a.jmp(loop);
        a.Label(ref done);
        a.ret();

        // print_decimal: RAX = value. Digits are pushed on the stack, then printed most significant first.
        _builder.Bind(ref _printDecimal);
        Label divide = a.CreateLabel(), print = a.CreateLabel();
        a.mov(rdi, rsp);
        a.mov(ecx, 10);
        a.Label(ref divide);
        a.xor(edx, edx);
        a.div(rcx);
        a.add(dl, (byte)'0');
        a.dec(rsp);
        a.mov(__byte_ptr[rsp], dl);
        a.test(rax, rax);
        a.jnz(divide);
        a.mov(edx, Port);
        a.Label(ref print);
        a.mov(al, __byte_ptr[rsp]);
        a.@out(dx, al);
        a.inc(rsp);
        a.cmp(rsp, rdi);
        a.jne(print);
        a.ret();

        for (int i = 0; i < _strings.Count; i++)
        {
            var (label, text) = _strings[i];
            _builder.Bind(ref label);
            a.db(text);
        }
    }
}

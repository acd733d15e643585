using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Guest.Runtime;

/// <summary>Console output on port 0xE9 or COM1: string and decimal printing routines, emitted once per guest.</summary>
public sealed class GuestConsole
{
    /// <summary>The debug console port (guest-abi.md).</summary>
    public const byte Port = 0xE9;
    /// <summary>COM1's transmit holding register.</summary>
    public const ushort Com1Thr = 0x3F8;
    /// <summary>COM1's line status register; bit 5 = THR empty.</summary>
    public const ushort Com1Lsr = 0x3FD;

    private readonly GuestBuilder _builder;
    private Label _printString;
    private Label _printDecimal;
    private readonly List<(Label Label, byte[] Text)> _strings = [];

    /// <summary>Declares the routines, writing to <paramref name="port"/>; <see cref="EmitRoutines"/> places them.</summary>
    public GuestConsole(GuestBuilder builder, ConsolePort port = ConsolePort.DebugPort)
    {
        _builder = builder;
        Output = port;
        _printString = builder.Function("print_string");
        _printDecimal = builder.Function("print_decimal");
    }

    /// <summary>Where the routines write.</summary>
    public ConsolePort Output { get; }

    /// <summary>Prints a constant string (emits a call; clobbers RSI, RAX, RDX).</summary>
    public void Print(string text)
    {
        Label label = DefineString(text);
        var a = _builder.Asm;
        a.lea(rsi, __[label]);
        a.call(_printString);
    }

    /// <summary>Adds a NUL-terminated ASCII string to the string table that <see cref="EmitRoutines"/> places after the
    /// routines, and returns its label. Keeping data out of the instruction stream until the end lets the VMM's scan
    /// for direct VMCALL sites decode the code before it.</summary>
    public Label DefineString(string text)
    {
        Label label = _builder.Object($"str{_strings.Count}");
        _strings.Add((label, System.Text.Encoding.ASCII.GetBytes(text + '\0')));
        return label;
    }

    /// <summary>Prints the NUL-terminated string whose address is in <paramref name="text"/> (emits a call; clobbers
    /// RSI, RAX, RDX).</summary>
    public void PrintFrom(AssemblerRegister64 text)
    {
        var a = _builder.Asm;
        if (text != rsi) a.mov(rsi, text);
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
        if (Output == ConsolePort.DebugPort)
        {
            a.mov(edx, Port);
            a.Label(ref loop);
        }
        else loop = _printString; // the loop starts at the routine's first instruction, which has its label already
        a.lodsb();
        a.test(al, al);
        a.jz(done);
        EmitPutChar(a);
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
        if (Output == ConsolePort.DebugPort) a.mov(edx, Port);
        a.Label(ref print);
        a.mov(al, __byte_ptr[rsp]);
        EmitPutChar(a);
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

    /// <summary>Writes AL: to port 0xE9 (EDX already holds it), or to COM1 once its THR is empty (clobbers AH, EDX).</summary>
    private void EmitPutChar(Assembler a)
    {
        if (Output == ConsolePort.DebugPort)
        {
            a.@out(dx, al);
            return;
        }
        Label wait = a.CreateLabel();
        a.mov(ah, al);
        a.mov(edx, Com1Lsr);
        a.Label(ref wait);
        a.@in(al, dx);
        a.test(al, 0x20);
        a.jz(wait);
        a.mov(al, ah);
        a.mov(edx, Com1Thr);
        a.@out(dx, al);
    }
}

using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Guest.Runtime;

/// <summary>Ending the run through the exit device (port 0xF4) and parking VPs.</summary>
public static class Exit
{
    /// <summary>The exit port (guest-abi.md).</summary>
    public const byte Port = 0xF4;

    /// <summary>Ends the run with <paramref name="code"/> (0 = PASS; clobbers RAX).</summary>
    public static void EmitExit(Assembler a, uint code)
    {
        a.mov(eax, code);
        a.@out(Port, eax);
    }

    /// <summary>Halts forever with interrupts enabled, so the VP still takes interrupts (clobbers nothing).</summary>
    public static void EmitIdleForever(GuestBuilder g, string name = "idle")
    {
        var a = g.Asm;
        Label idle = g.Function(name);
        g.Bind(ref idle);
        a.sti();
        a.hlt();
        a.jmp(idle);
    }
}

using HvBench.Guest.Runtime;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Guest.Images;

/// <summary>hello: every VP prints "hello from VP n of m"; VP0 waits until all have printed and exits with 0.</summary>
public static class HelloGuest
{
    /// <summary>Builds the image.</summary>
    public static byte[] Build()
    {
        var g = new GuestBuilder();
        var a = g.Asm;
        var console = new GuestConsole(g);
        ulong printed = g.Allocate("printed_count", 8);

        var start = g.Function("_start");
        var wait = a.CreateLabel();
        var park = g.Function("park");
        g.Bind(ref start);
        a.mov(r12, rdi);                       // VP index
        a.mov(r13, rsi);                       // VP count
        console.Print("hello from VP ");
        console.PrintDecimal(r12);
        console.Print(" of ");
        console.PrintDecimal(r13);
        console.Print("\n");
        a.mov(rbx, printed);
        a.@lock.inc(__qword_ptr[rbx]);
        a.test(r12, r12);
        a.jnz(park);
        a.Label(ref wait);                     // VP0: wait for every VP's line, then PASS
        a.pause();
        a.cmp(__qword_ptr[rbx], r13);
        a.jb(wait);
        a.mov(al, 0);
        a.@out(0xF4, al);
        g.Bind(ref park);
        a.cli();
        a.hlt();
        a.jmp(park);
        console.EmitRoutines();
        return g.BuildElf();
    }
}

using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Guest.Runtime;

/// <summary>WRMSR/RDMSR helpers.</summary>
public static class Msr
{
    /// <summary>Writes the constant <paramref name="value"/> to <paramref name="msr"/> (clobbers RAX, RCX, RDX).</summary>
    public static void EmitWrite(Assembler a, uint msr, ulong value)
    {
        a.mov(ecx, msr);
        a.mov(eax, (uint)value);
        a.mov(edx, (uint)(value >> 32));
        a.wrmsr();
    }

    /// <summary>Writes <paramref name="value"/> to <paramref name="msr"/> (clobbers RAX, RCX, RDX; <paramref name="value"/> must not be one of them).</summary>
    public static void EmitWrite(Assembler a, uint msr, AssemblerRegister64 value)
    {
        a.mov(rax, value);
        a.mov(rdx, value);
        a.shr(rdx, 32);
        a.mov(ecx, msr);
        a.wrmsr();
    }

    /// <summary>Reads <paramref name="msr"/> into RAX as a 64-bit value (clobbers RCX, RDX).</summary>
    public static void EmitRead(Assembler a, uint msr)
    {
        a.mov(ecx, msr);
        a.rdmsr();
        a.shl(rdx, 32);
        a.or(rax, rdx);
    }
}

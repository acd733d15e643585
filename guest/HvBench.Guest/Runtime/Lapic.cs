using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Guest.Runtime;

/// <summary>The local APIC in xAPIC mode at 0xFEE00000 (guest-abi.md): enable, EOI and fixed IPIs.</summary>
public static class Lapic
{
    /// <summary>The LAPIC page.</summary>
    public const uint Base = 0xFEE00000;
    /// <summary>Spurious-interrupt vector register; bit 8 enables the APIC.</summary>
    public const uint Svr = Base + 0xF0;
    /// <summary>End-of-interrupt register.</summary>
    public const uint Eoi = Base + 0xB0;
    /// <summary>Interrupt command register, low and high halves.</summary>
    public const uint IcrLow = Base + 0x300, IcrHigh = Base + 0x310;
    /// <summary>In-service register 0 (vectors 0..31); ISR n is at +0x10·n.</summary>
    public const uint Isr0 = Base + 0x100;

    /// <summary>Software-enables the LAPIC with spurious vector 0xFF (clobbers RAX).</summary>
    public static void EmitEnable(Assembler a)
    {
        a.mov(eax, Svr);                     // 32-bit moves zero-extend: the address stays below 4 GiB
        a.mov(__dword_ptr[rax], 0x1FF);
    }

    /// <summary>Signals end of interrupt (clobbers RAX).</summary>
    public static void EmitEoi(Assembler a)
    {
        a.mov(eax, Eoi);
        a.mov(__dword_ptr[rax], 0);
    }

    /// <summary>Sends a fixed IPI with <paramref name="vector"/> to the APIC id in <paramref name="apicId"/> (clobbers RAX, RDX).</summary>
    public static void EmitSendIpi(Assembler a, AssemblerRegister32 apicId, byte vector)
    {
        a.mov(edx, apicId);
        a.shl(edx, 24);
        a.mov(eax, IcrHigh);
        a.mov(__dword_ptr[rax], edx);
        a.mov(eax, IcrLow);
        a.mov(__dword_ptr[rax], vector);     // fixed delivery, physical destination, assert
    }
}

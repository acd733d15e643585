using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Guest.Runtime;

/// <summary>The guest's own GDT, with the selectors of guest-abi.md (<c>0x08</c> 64-bit code, <c>0x10</c> flat data), so
/// that a guest no longer depends on the VMM's table below 1 MiB once it has loaded its own. The table is constant and
/// lives in the code segment; <see cref="EmitLoad"/> loads it and reloads every segment register.</summary>
public sealed class Gdt
{
    /// <summary>The 64-bit code selector.</summary>
    public const ushort CodeSelector = 0x08;
    /// <summary>The flat data selector (DS, ES, FS, GS, SS).</summary>
    public const ushort DataSelector = 0x10;

    // Descriptors with the accessed bit already set: loading a segment register then never writes to the table.
    private const ulong Code64 = 0x00AF9B000000FFFF;   // P, DPL 0, code execute/read, L = 1, G = 1
    private const ulong FlatData = 0x00CF93000000FFFF; // P, DPL 0, data read/write, D/B = 1, G = 1, 4 GiB
    private const ushort Limit = 3 * 8 - 1;

    private readonly GuestBuilder _builder;
    private Label _table;
    private bool _used;

    /// <summary>A GDT for <paramref name="builder"/>'s guest; <see cref="EmitRoutines"/> places it.</summary>
    public Gdt(GuestBuilder builder) => _builder = builder;

    /// <summary>Loads the GDT on the running VP and reloads CS (by a far return) and DS, ES, FS, GS, SS
    /// (clobbers RAX; uses 16 bytes of stack).</summary>
    public void EmitLoad()
    {
        if (!_used) _table = _builder.Object("gdt"); // declared on first use: an unused table costs no bytes
        _used = true;
        var a = _builder.Asm;
        Label reloaded = a.CreateLabel();
        // LGDT takes a 10-byte operand (limit, then base); the base is the table's address, known only once assembled.
        a.sub(rsp, 16);
        a.mov(__word_ptr[rsp + 6], Limit);
        a.lea(rax, __[_table]);
        a.mov(__qword_ptr[rsp + 8], rax);
        a.lgdt(__[rsp + 6]);
        a.add(rsp, 16);
        a.mov(eax, DataSelector);
        a.mov(ds, ax);
        a.mov(es, ax);
        a.mov(fs, ax);
        a.mov(gs, ax);
        a.mov(ss, ax);
        // CS can only be reloaded by a far transfer: a 64-bit far return to the next instruction.
        a.push(CodeSelector);
        a.lea(rax, __[reloaded]);
        a.push(rax);
        a.AddInstruction(Instruction.Create(Code.Retfq));
        a.Label(ref reloaded);
        a.nop();
    }

    /// <summary>Emits the table; call once, after the code and the routines (data among instructions would hide a
    /// later VMCALL from the VMM's scan for direct sites). Nothing is emitted if no VP loads the table.</summary>
    public void EmitRoutines()
    {
        if (!_used) return;
        _builder.Bind(ref _table);
        _builder.Asm.dq(0UL, Code64);
        _builder.Asm.dq(FlatData);
    }
}

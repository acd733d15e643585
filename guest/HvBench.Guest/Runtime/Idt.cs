using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Guest.Runtime;

/// <summary>The guest's own IDT (guest-abi.md gives an empty one): 256 interrupt gates in the data area, filled at run
/// time because handler addresses are only known once the code is assembled. All VPs share it; each VP loads it.</summary>
public sealed class Idt
{
    private const int GateSize = 16;
    private readonly GuestBuilder _builder;
    private readonly List<(int Vector, Label Handler)> _gates = [];
    private readonly ulong _table;
    private readonly ulong _register;

    /// <summary>Reserves the table and its IDTR image.</summary>
    public Idt(GuestBuilder builder)
    {
        _builder = builder;
        _table = builder.Allocate("idt", 256 * GateSize, 16);
        _register = builder.Allocate("idtr", 16, 16);
    }

    /// <summary>Vectors that have a handler.</summary>
    public IReadOnlyList<(int Vector, Label Handler)> Gates => _gates;

    /// <summary>Routes <paramref name="vector"/> to <paramref name="handler"/> (an interrupt gate: IF is cleared on entry).</summary>
    public void SetHandler(int vector, Label handler)
    {
        if (vector is < 0 or > 255) throw new ArgumentOutOfRangeException(nameof(vector));
        _gates.RemoveAll(g => g.Vector == vector);
        _gates.Add((vector, handler));
    }

    /// <summary>Fills the gates and loads the IDT on the running VP (clobbers RAX, RDX).</summary>
    public void EmitLoad()
    {
        var a = _builder.Asm;
        foreach (var (vector, handler) in _gates)
        {
            ulong gate = _table + (ulong)vector * GateSize;
            a.lea(rax, __[handler]);
            a.mov(rdx, gate);
            a.mov(__word_ptr[rdx], ax);                 // offset 15:0
            a.mov(__word_ptr[rdx + 2], 0x08);           // code selector (guest-abi.md)
            a.mov(__word_ptr[rdx + 4], 0x8E00);         // IST 0; present, DPL 0, 64-bit interrupt gate
            a.shr(rax, 16);
            a.mov(__word_ptr[rdx + 6], ax);             // offset 31:16
            a.shr(rax, 16);
            a.mov(__dword_ptr[rdx + 8], eax);           // offset 63:32
        }
        a.mov(rdx, _register);
        a.mov(__word_ptr[rdx], 256 * GateSize - 1);
        a.mov(rax, _table);
        a.mov(__qword_ptr[rdx + 2], rax);
        a.lidt(__[rdx]);
    }
}

using Iced.Intel;
using HvBench.Guest.Elf;

namespace HvBench.Guest;

/// <summary>Builds a test guest with Iced's assembler: code at <see cref="CodeBase"/>, zeroed data at
/// <see cref="DataBase"/>, named symbols for traces and fault reports, written out as an ELF64 image
/// (guest-abi.md). Output is deterministic: the same program gives the same bytes.</summary>
public sealed class GuestBuilder
{
    /// <summary>Where code is loaded (the lowest address guest-abi.md allows).</summary>
    public const ulong CodeBase = 0x100000;

    /// <summary>Where the zero-initialised data area starts.</summary>
    public const ulong DataBase = 0x200000;

    private readonly List<(string Name, Label Label, bool IsFunction)> _symbols = [];
    private readonly List<(string Name, ulong Address, ulong Size)> _dataSymbols = [];
    private ulong _dataEnd = DataBase;
    private int _lastBoundAt = -1;

    /// <summary>The assembler that receives the guest's code, starting at the entry point.</summary>
    public Assembler Asm { get; } = new(64);

    /// <summary>Creates a label that becomes a function symbol named <paramref name="name"/> once bound with <see cref="Bind"/>.</summary>
    public Label Function(string name)
    {
        Label label = Asm.CreateLabel(name);
        _symbols.Add((name, label, true));
        return label;
    }

    /// <summary>Creates a label that becomes an object symbol (data in the code segment) once bound.</summary>
    public Label Object(string name)
    {
        Label label = Asm.CreateLabel(name);
        _symbols.Add((name, label, false));
        return label;
    }

    /// <summary>Binds <paramref name="label"/> to the next instruction (Iced's <c>Assembler.Label</c>) and keeps the
    /// bound copy for the symbol table: labels are structs, so the builder must see the bound one.</summary>
    public void Bind(ref Label label)
    {
        // Iced allows one label per instruction; a second label at the same place gets a NOP of its own.
        if (Asm.Instructions.Count == _lastBoundAt) Asm.nop();
        Asm.Label(ref label);
        _lastBoundAt = Asm.Instructions.Count;
        for (int i = 0; i < _symbols.Count; i++)
            if (_symbols[i].Label.Id == label.Id) _symbols[i] = (_symbols[i].Name, label, _symbols[i].IsFunction);
    }

    /// <summary>Reserves <paramref name="size"/> zeroed bytes in the data area and returns their address.</summary>
    public ulong Allocate(string name, ulong size, ulong alignment = 8)
    {
        ulong address = (_dataEnd + alignment - 1) & ~(alignment - 1);
        _dataEnd = address + size;
        _dataSymbols.Add((name, address, size));
        return address;
    }

    /// <summary>Assembles the program and returns the ELF64 image bytes.</summary>
    public byte[] BuildElf()
    {
        var writer = new ByteArrayWriter();
        AssemblerResult result = Asm.Assemble(writer, CodeBase, BlockEncoderOptions.ReturnNewInstructionOffsets);
        byte[] code = writer.ToArray();

        var symbols = new List<ElfSymbol>();
        var addresses = new List<(string Name, ulong Address, bool IsFunction)>();
        foreach (var (name, label, isFunction) in _symbols)
        {
            if (label.InstructionIndex < 0) throw new InvalidOperationException($"symbol {name} was never bound with GuestBuilder.Bind");
            Label bound = label;
            addresses.Add((name, result.GetLabelRIP(in bound), isFunction));
        }
        // A symbol's size reaches the next symbol (or the end of code): good enough for "nearest symbol" reports.
        addresses.Sort((a, b) => a.Address.CompareTo(b.Address));
        for (int i = 0; i < addresses.Count; i++)
        {
            ulong end = i + 1 < addresses.Count ? addresses[i + 1].Address : CodeBase + (ulong)code.Length;
            symbols.Add(new ElfSymbol(addresses[i].Name, addresses[i].Address, end - addresses[i].Address, addresses[i].IsFunction ? ElfSymbolKind.Function : ElfSymbolKind.Object));
        }
        foreach (var (name, address, size) in _dataSymbols) symbols.Add(new ElfSymbol(name, address, size, ElfSymbolKind.Object));

        var segments = new List<ElfSegment> { new(CodeBase, code, (ulong)code.Length, ElfSegmentFlags.Read | ElfSegmentFlags.Execute) };
        if (_dataEnd > DataBase)
            segments.Add(new ElfSegment(DataBase, [], (_dataEnd - DataBase + 0xFFF) & ~0xFFFUL, ElfSegmentFlags.Read | ElfSegmentFlags.Write));
        return ElfImageWriter.Write(CodeBase, segments, symbols);
    }
}

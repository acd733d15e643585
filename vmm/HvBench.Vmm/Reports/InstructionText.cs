using HvBench.Kvm;
using HvBench.Vmm.Loaders;

namespace HvBench.Vmm.Reports;

/// <summary>The instruction at a guest address, disassembled, and the symbol that covers it, for reports made after
/// the run from guest memory.</summary>
internal static class InstructionText
{
    public static (string Instruction, string? Symbol) At(GuestMemory memory, SymbolTable symbols, ulong address)
    {
        Span<byte> code = stackalloc byte[15];
        int available = memory.Contains(address, 1) ? (int)Math.Min(15UL, memory.BaseGpa + memory.Size - address) : 0;
        if (available > 0) memory.GetSpan(address, available).CopyTo(code);
        string instruction = Disassembler.FormatOne(code[..available], address);
        string? symbol = symbols.TryFind(address, out string? name, out ulong offset)
            ? offset == 0 ? name : $"{name}+0x{offset:x}" : null;
        return (instruction, symbol);
    }
}

using Iced.Intel;

namespace HvBench.Vmm.Reports;

/// <summary>Disassembles guest instructions with Iced for fault and timeout reports.</summary>
public static class Disassembler
{
    /// <summary>The instruction in <paramref name="code"/> (bytes at <paramref name="address"/>) as NASM text with its bytes,
    /// or a note when there is nothing to decode; <paramref name="bitness"/> is the code's mode (<see cref="CodeBitness"/>).</summary>
    public static string FormatOne(ReadOnlySpan<byte> code, ulong address, int bitness = 64)
    {
        if (code.IsEmpty) return "(RIP is outside guest RAM)";
        var decoder = Decoder.Create(bitness, new ByteArrayCodeReader(code.ToArray()), address);
        decoder.Decode(out Instruction instruction);
        if (instruction.IsInvalid) return $"(invalid instruction bytes {Convert.ToHexString(code[..Math.Min(code.Length, 8)])})";
        var output = new StringOutput();
        new NasmFormatter().Format(instruction, output);
        return $"{output.ToStringAndReset()}  ({Convert.ToHexString(code[..instruction.Length])})";
    }

    /// <summary>The mode a VP's code runs in: 64 in long mode (CS.L), 32 in protected mode with a 32-bit CS (a multiboot
    /// guest, docs/guest-abi.md), 16 otherwise.</summary>
    public static int CodeBitness(in HvBench.Kvm.Interop.KvmSregs sregs) =>
        (sregs.Cr0 & 1) == 0 ? 16 : sregs.Cs.L != 0 ? 64 : sregs.Cs.Db != 0 ? 32 : 16;

    /// <summary>Addresses of every instruction of the given <paramref name="code"/> whose mnemonic is in <paramref name="mnemonics"/>.</summary>
    public static List<ulong> FindInstructions(ReadOnlySpan<byte> code, ulong address, params Mnemonic[] mnemonics)
    {
        var found = new List<ulong>();
        var decoder = Decoder.Create(64, new ByteArrayCodeReader(code.ToArray()), address);
        ulong end = address + (ulong)code.Length;
        while (decoder.IP < end)
        {
            decoder.Decode(out Instruction instruction);
            if (Array.IndexOf(mnemonics, instruction.Mnemonic) >= 0) found.Add(instruction.IP);
        }
        return found;
    }
}

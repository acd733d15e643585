using System.Text;
using HvBench.Kvm;
using HvBench.Kvm.Interop;
using HvBench.Vmm.Loaders;

namespace HvBench.Vmm.Reports;

/// <summary>An exception a guest reported through its fault record (docs/guest-abi.md, "Fault record"): the vector,
/// the error code, the registers as they were when the exception hit (not the handler's), and the faulting instruction
/// disassembled with the nearest symbol. Read from guest memory after the run.</summary>
public sealed record GuestFaultReport(
    ulong PartitionId,
    int VpIndex,
    ulong Vector,
    ulong ErrorCode,
    KvmRegs Registers,
    ulong Cs,
    ulong Ss,
    ulong Cr0,
    ulong Cr2,
    ulong Cr3,
    ulong Cr4,
    string Instruction,
    string? Symbol)
{
    /// <summary>The symbol that marks the record.</summary>
    public const string SymbolName = "hvbench_fault";

    /// <summary>The guest ends the run with exit code <c>ExitCodeBase + vector</c>.</summary>
    public const uint ExitCodeBase = 0xE000;

    private const ulong Magic = 0x544C554146425648; // "HVBFAULT"
    private const ulong RecordSize = 224;

    /// <summary>"#PF page fault".</summary>
    public string VectorName => ExceptionVectors.Name(Vector);

    /// <summary>True when <paramref name="exitCode"/> is the one a fault record's handler writes.</summary>
    public static bool IsFaultExitCode(uint? exitCode) => exitCode is >= ExitCodeBase and < ExitCodeBase + 32;

    /// <summary>Reads the record if the image names one and a guest completed it; else null.</summary>
    public static GuestFaultReport? TryRead(GuestMemory memory, SymbolTable symbols, ulong partitionId = 1)
    {
        if (!symbols.TryGetSymbol(SymbolName, out ImageSymbol symbol)) return null;
        ulong at = symbol.Address;
        if (!memory.Contains(at, RecordSize) || memory.ReadUInt64(at) != Magic) return null;
        ulong Field(int offset) => memory.ReadUInt64(at + (ulong)offset);
        ulong Gpr(int index) => Field(96 + 8 * index);
        var regs = new KvmRegs
        {
            Rax = Gpr(0), Rbx = Gpr(1), Rcx = Gpr(2), Rdx = Gpr(3), Rsi = Gpr(4), Rdi = Gpr(5), Rsp = Gpr(6), Rbp = Gpr(7),
            R8 = Gpr(8), R9 = Gpr(9), R10 = Gpr(10), R11 = Gpr(11), R12 = Gpr(12), R13 = Gpr(13), R14 = Gpr(14), R15 = Gpr(15),
            Rip = Field(32), Rflags = Field(48),
        };
        var (instruction, where) = InstructionText.At(memory, symbols, regs.Rip);
        return new GuestFaultReport(partitionId, (int)Field(8), Field(16), Field(24), regs, Field(40), Field(56),
            Field(64), Field(72), Field(80), Field(88), instruction, where);
    }

    /// <summary>One line: "VP0: #DE divide error at RIP=0x100123 &lt;divide_by_zero+0x3&gt;: div ecx  (F7F1)", with the
    /// error code (and CR2 for a page fault) after the vector's name.</summary>
    public string Summary(string vpName)
    {
        var text = new StringBuilder();
        text.Append(vpName).Append(": ").Append(VectorName);
        if (Vector == 14)
            text.Append($" (error code 0x{ErrorCode:x}: {ExceptionVectors.DescribePageFaultError(ErrorCode)}; CR2=0x{Cr2:x})");
        else if (ExceptionVectors.HasErrorCode(Vector))
            text.Append($" (error code 0x{ErrorCode:x})");
        text.Append($" at RIP=0x{Registers.Rip:x}");
        if (Symbol is not null) text.Append($" <{Symbol}>");
        text.Append(": ").Append(Instruction);
        return text.ToString();
    }

    /// <summary>The registers of the record in the form of the VMM's own register dumps; EFER is not in the record, so
    /// it is taken from <paramref name="efer"/> (the VP's EFER at the end of the run).</summary>
    public RegisterSnapshot ToSnapshot(ulong efer) =>
        new(PartitionId, VpIndex, Registers, Cr0, Cr2, Cr3, Cr4, efer, Instruction, Symbol);

    /// <summary>Multi-line text: <see cref="Summary"/>, then the registers, CS and SS.</summary>
    public string Format(string vpName, ulong efer = 0) =>
        $"{Summary(vpName)}\n{ToSnapshot(efer).Format()} CS={Cs:x} SS={Ss:x}";
}

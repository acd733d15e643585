using System.Text;
using HvBench.Kvm.Interop;

namespace HvBench.Vmm.Reports;

/// <summary>A VP's registers at the end of a run, with the bytes at RIP (disassembled when first asked for: most runs
/// pass and never show it, and the disassembler's tables take milliseconds to build).</summary>
public sealed record RegisterSnapshot(ulong PartitionId, int VpIndex, KvmRegs Regs, ulong Cr0, ulong Cr2, ulong Cr3, ulong Cr4, ulong Efer, byte[] CodeAtRip, string? Symbol,
    int CodeBitness = 64)
{
    private string? _instruction;

    /// <summary>A snapshot whose instruction is already disassembled (a guest's own fault record).</summary>
    public RegisterSnapshot(ulong partitionId, int vpIndex, KvmRegs regs, ulong cr0, ulong cr2, ulong cr3, ulong cr4, ulong efer, string instruction, string? symbol)
        : this(partitionId, vpIndex, regs, cr0, cr2, cr3, cr4, efer, [], symbol) => _instruction = instruction;

    /// <summary>The instruction at RIP, disassembled.</summary>
    public string Instruction => _instruction ??= Disassembler.FormatOne(CodeAtRip, Regs.Rip, CodeBitness);

    /// <summary>Multi-line text: the instruction line, then the general and control registers.</summary>
    public string Format()
    {
        var r = Regs;
        var text = new StringBuilder();
        text.Append(PartitionId == 1 ? $"VP{VpIndex}" : $"P{PartitionId} VP{VpIndex}").Append($": RIP=0x{r.Rip:x}");
        if (Symbol is not null) text.Append($" <{Symbol}>");
        text.Append($": {Instruction}\n");
        text.Append($"  RAX={r.Rax:x16} RBX={r.Rbx:x16} RCX={r.Rcx:x16} RDX={r.Rdx:x16}\n");
        text.Append($"  RSI={r.Rsi:x16} RDI={r.Rdi:x16} RBP={r.Rbp:x16} RSP={r.Rsp:x16}\n");
        text.Append($"  R8 ={r.R8:x16} R9 ={r.R9:x16} R10={r.R10:x16} R11={r.R11:x16}\n");
        text.Append($"  R12={r.R12:x16} R13={r.R13:x16} R14={r.R14:x16} R15={r.R15:x16}\n");
        text.Append($"  RFLAGS={r.Rflags:x} CR0={Cr0:x} CR2={Cr2:x} CR3={Cr3:x} CR4={Cr4:x} EFER={Efer:x}");
        return text.ToString();
    }
}

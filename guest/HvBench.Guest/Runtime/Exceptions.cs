using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Guest.Runtime;

/// <summary>Handlers for every exception vector (0..31) that report the fault to the host and end the run
/// (docs/guest-abi.md, "Fault record"). The first VP to fault fills the record at the symbol <c>hvbench_fault</c>:
/// vector, error code, RIP, CS, RFLAGS, SS, CR0/CR2/CR3/CR4, the 16 general registers as they were when the exception
/// hit, and the VP index; then it writes <see cref="ExitCodeBase"/> + vector to the exit port. The host prints the
/// vector's name, the registers, the faulting instruction and the nearest symbol.</summary>
/// <remarks>Handlers run on the faulting VP's own stack (no IST), so a fault that leaves RSP unusable still ends as a
/// triple fault, which the host reports with the registers it reads itself.</remarks>
public sealed class Exceptions
{
    /// <summary>The symbol the host looks for.</summary>
    public const string SymbolName = "hvbench_fault";
    /// <summary>"HVBFAULT" little-endian: the record is complete.</summary>
    public const ulong Magic = 0x544C554146425648;
    /// <summary>"HVBWRITE": a VP claimed the record and is filling it (the host ignores it).</summary>
    public const ulong ClaimMagic = 0x4554495257425648;
    /// <summary>A fault ends the run with exit code <c>ExitCodeBase + vector</c> (0xE000..0xE01F).</summary>
    public const uint ExitCodeBase = 0xE000;
    /// <summary>Bytes reserved for the record.</summary>
    public const int RecordSize = 256;

    /// <summary>Offsets of the record's 64-bit fields.</summary>
    public const int VpIndexOffset = 8, VectorOffset = 16, ErrorCodeOffset = 24, RipOffset = 32, CsOffset = 40,
        RflagsOffset = 48, SsOffset = 56, Cr0Offset = 64, Cr2Offset = 72, Cr3Offset = 80, Cr4Offset = 88, GprsOffset = 96;

    /// <summary>The order of the general registers at <see cref="GprsOffset"/> (KVM's <c>struct kvm_regs</c> order).</summary>
    public static IReadOnlyList<string> GprOrder => s_gprOrder;

    private static readonly string[] s_gprOrder =
        ["RAX", "RBX", "RCX", "RDX", "RSI", "RDI", "RSP", "RBP", "R8", "R9", "R10", "R11", "R12", "R13", "R14", "R15"];

    private const uint LapicIdRegister = Lapic.Base + 0x20;
    private readonly GuestBuilder _builder;
    private readonly Label[] _stubs = new Label[32];
    private Label _report;

    /// <summary>Reserves the record and routes vectors 0..31 of <paramref name="idt"/> to the reporting handlers
    /// (the gates are written when a VP runs <see cref="Idt.EmitLoad"/>).</summary>
    public Exceptions(GuestBuilder builder, Idt idt)
    {
        _builder = builder;
        Record = builder.Allocate(SymbolName, RecordSize, 64);
        _stubs[0] = builder.Function("exception_entry");
        for (int vector = 1; vector < 32; vector++) _stubs[vector] = builder.Asm.CreateLabel();
        for (int vector = 0; vector < 32; vector++) idt.SetHandler(vector, _stubs[vector]);
        _report = builder.Function("exception_report");
    }

    /// <summary>Guest-physical address of the fault record.</summary>
    public ulong Record { get; }

    /// <summary>True for the vectors whose exceptions push an error code (#DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP, #VC, #SX).</summary>
    public static bool HasErrorCode(int vector) => vector is 8 or 10 or 11 or 12 or 13 or 14 or 17 or 21 or 29 or 30;

    /// <summary>Offset in the record of general register <paramref name="name"/> (as in <see cref="GprOrder"/>).</summary>
    public static int GprOffset(string name)
    {
        int index = Array.IndexOf(s_gprOrder, name);
        if (index < 0) throw new ArgumentException($"{name} is not a general register name", nameof(name));
        return GprsOffset + 8 * index;
    }

    /// <summary>Emits the 32 entry stubs and the reporting routine; call once, after the code.</summary>
    public void EmitRoutines()
    {
        var a = _builder.Asm;
        // Each stub makes the frame uniform: [RSP] = vector, [RSP+8] = error code (0 if the CPU pushed none), then the
        // CPU's RIP, CS, RFLAGS, RSP, SS.
        for (int vector = 0; vector < 32; vector++)
        {
            if (vector == 0) _builder.Bind(ref _stubs[0]);
            else a.Label(ref _stubs[vector]);
            if (!HasErrorCode(vector)) a.push(0);
            a.push(vector);
            a.jmp(_report);
        }

        Label claimed = a.CreateLabel(), exit = a.CreateLabel(), halt = a.CreateLabel();
        _builder.Bind(ref _report);
        a.push(rax);
        a.push(rbx);
        a.push(rcx);
        a.mov(rbx, Record);
        // First fault wins: claim the record with the magic word, so a second VP (or a nested fault) leaves it alone.
        a.xor(eax, eax);
        a.mov(rcx, ClaimMagic);
        a.@lock.cmpxchg(__qword_ptr[rbx], rcx);
        a.pop(rcx);
        a.jnz(claimed);
        AssemblerRegister64[] untouched = [rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15];
        string[] untouchedNames = ["RCX", "RDX", "RSI", "RDI", "RBP", "R8", "R9", "R10", "R11", "R12", "R13", "R14", "R15"];
        for (int i = 0; i < untouched.Length; i++) a.mov(__qword_ptr[rbx + GprOffset(untouchedNames[i])], untouched[i]);
        a.pop(rax);
        a.mov(__qword_ptr[rbx + GprOffset("RBX")], rax);
        a.pop(rax);
        a.mov(__qword_ptr[rbx + GprOffset("RAX")], rax);
        (int Frame, int Field)[] frame =
        [
            (0, VectorOffset), (8, ErrorCodeOffset), (16, RipOffset), (24, CsOffset), (32, RflagsOffset),
            (40, GprOffset("RSP")), (48, SsOffset),
        ];
        foreach (var (at, field) in frame)
        {
            a.mov(rax, __qword_ptr[rsp + at]);        // RAX and RBX are popped: RSP is at the vector again
            a.mov(__qword_ptr[rbx + field], rax);
        }
        (AssemblerRegisterCR Register, int Field)[] controls = [(cr0, Cr0Offset), (cr2, Cr2Offset), (cr3, Cr3Offset), (cr4, Cr4Offset)];
        foreach (var (register, field) in controls)
        {
            a.mov(rax, register);
            a.mov(__qword_ptr[rbx + field], rax);
        }
        // The VP index is the APIC id (guest-abi.md): read it from the LAPIC, which works before the guest enables it.
        a.mov(eax, LapicIdRegister);
        a.mov(eax, __dword_ptr[rax]);
        a.shr(eax, 24);
        a.mov(__qword_ptr[rbx + VpIndexOffset], rax);
        a.mov(rax, Magic);
        a.mov(__qword_ptr[rbx], rax);
        a.jmp(exit);

        a.Label(ref claimed);
        a.add(rsp, 16);                            // RBX and RAX
        a.Label(ref exit);
        a.mov(eax, __dword_ptr[rsp]);              // the vector
        a.add(eax, ExitCodeBase);
        a.@out(Exit.Port, eax);
        a.Label(ref halt);
        a.cli();
        a.hlt();
        a.jmp(halt);
    }
}

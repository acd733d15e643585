using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Guest.Runtime;

/// <summary>A Hyper-V test guest with the runtime wired in, so that a test guest is a few lines of C#. Every VP starts
/// in a common prologue that loads the guest's own GDT and IDT (every exception vector reports to the host:
/// <see cref="Exceptions"/>), enables its LAPIC, keeps its VP index in <see cref="VpIndex"/> (R12) and the VP count in
/// <see cref="VpCount"/> (R13), and then runs the code given to <see cref="OnVp"/> for its index (a VP with none idles
/// with interrupts on). <see cref="Build"/> emits the routines (console, checks, hypercalls, handlers) and the image.</summary>
/// <remarks>The runtime's helpers clobber at most RAX, RBX, RCX, RDX, RSI, RDI, R8, R9 and R11; R12 and R13 are kept.
/// Interrupt handlers from <see cref="OnInterrupt"/> save those registers, run their body, signal EOI and return.</remarks>
public sealed class HypervGuest
{
    private readonly List<(int Vp, Label Entry)> _vps = [];
    private Label _dispatch;
    private Label _idle;
    private Label _loadIdt;
    private bool _built;

    /// <summary>A guest for up to <paramref name="maxVps"/> VPs (the SynIC pages reserved), printing to <paramref name="console"/>.</summary>
    public HypervGuest(int maxVps = 2, ConsolePort console = ConsolePort.DebugPort)
    {
        Builder = new GuestBuilder();
        Console = new GuestConsole(Builder, console);
        Checks = new Assertions(Builder, Console);
        Gdt = new Gdt(Builder);
        Idt = new Idt(Builder);
        Exceptions = new Exceptions(Builder, Idt);
        Synic = new Synic(Builder, maxVps);
        Hypercalls = new Hypercalls(Builder, Synic);
        Sync = new Sync(Builder);

        var a = Asm;
        Label start = Builder.Function("_start");
        _dispatch = Builder.Function("vp_dispatch");
        _idle = Builder.Function("idle");
        _loadIdt = Builder.Function("load_idt");
        Builder.Bind(ref start);
        a.mov(r12, rdi);
        a.mov(r13, rsi);
        Gdt.EmitLoad();
        a.call(_loadIdt);
        Lapic.EmitEnable(a);
        a.jmp(_dispatch);
    }

    /// <summary>The builder underneath, for symbols (<see cref="GuestBuilder.Function"/>) and data.</summary>
    public GuestBuilder Builder { get; }

    /// <summary>The assembler that receives the guest's code.</summary>
    public Assembler Asm => Builder.Asm;

    /// <summary>The register that holds this VP's index (R12).</summary>
    public AssemblerRegister64 VpIndex => r12;

    /// <summary>The register that holds the number of VPs (R13).</summary>
    public AssemblerRegister64 VpCount => r13;

    /// <summary>The status field of the last hypercall's result value (AX): 0 is HV_STATUS_SUCCESS.</summary>
    public AssemblerRegister16 HypercallStatus => ax;

    /// <summary>Console printing (port 0xE9 or COM1).</summary>
    public GuestConsole Console { get; }

    /// <summary>Checks that report message and location to the host.</summary>
    public Assertions Checks { get; }

    /// <summary>The guest's own GDT, loaded by every VP.</summary>
    public Gdt Gdt { get; }

    /// <summary>The guest's IDT, loaded by every VP.</summary>
    public Idt Idt { get; }

    /// <summary>The exception handlers (vectors 0..31) and the fault record.</summary>
    public Exceptions Exceptions { get; }

    /// <summary>SynIC set-up: guest OS id, hypercall page, SIEFP, SIMP, SCONTROL, SINTs.</summary>
    public Synic Synic { get; }

    /// <summary>HvSignalEvent and HvPostMessage in both conventions.</summary>
    public Hypercalls Hypercalls { get; }

    /// <summary>Barriers and spin waits in shared memory.</summary>
    public Sync Sync { get; }

    /// <summary>Reserves a zeroed 64-bit word shared by all VPs (a flag or a counter) and returns its address.</summary>
    public ulong Flag(string name) => Builder.Allocate(name, 8);

    /// <summary>Sets the word at <paramref name="flag"/> to 1 (clobbers RAX).</summary>
    public void SetFlag(ulong flag)
    {
        Asm.mov(rax, flag);
        Asm.mov(__qword_ptr[rax], 1);
    }

    /// <summary>Atomically adds 1 to the word at <paramref name="counter"/> (clobbers RAX).</summary>
    public void Increment(ulong counter)
    {
        Asm.mov(rax, counter);
        Asm.@lock.inc(__qword_ptr[rax]);
    }

    /// <summary>Spins until the word at <paramref name="flag"/> is at least <paramref name="value"/> (clobbers RAX).</summary>
    public void WaitFlag(ulong flag, int value = 1) => Sync.EmitWaitAtLeast(flag, value);

    /// <summary>Emits the code VP <paramref name="vp"/> runs after the prologue, as the function <paramref name="name"/>
    /// (default "vpN"). If the body falls off its end, the VP idles.</summary>
    public void OnVp(int vp, Action body, string? name = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(vp);
        if (_vps.Exists(v => v.Vp == vp)) throw new InvalidOperationException($"VP{vp} already has code");
        Label entry = Builder.Function(name ?? $"vp{vp}");
        Builder.Bind(ref entry);
        _vps.Add((vp, entry));
        body();
        Asm.jmp(_idle);
    }

    /// <summary>Emits a handler for <paramref name="vector"/> named <paramref name="name"/>: it saves the registers the
    /// runtime uses, runs <paramref name="body"/>, signals EOI to the LAPIC, runs <paramref name="afterEoi"/> if given
    /// (work that belongs after the EOI, such as a message handler's EOM write: TLFS "Messages") and returns. The EOI
    /// clobbers only RAX, so <paramref name="afterEoi"/> sees the other registers as <paramref name="body"/> left them.</summary>
    public void OnInterrupt(byte vector, string name, Action body, Action? afterEoi = null)
    {
        if (vector < 32) throw new ArgumentOutOfRangeException(nameof(vector), "vectors 0..31 are the exception handlers'");
        Label handler = Builder.Function(name);
        Idt.SetHandler(vector, handler);
        AssemblerRegister64[] saved = [rax, rbx, rcx, rdx, rsi, rdi, r8, r9, r10, r11];
        Builder.Bind(ref handler);
        foreach (var register in saved) Asm.push(register);
        body();
        Lapic.EmitEoi(Asm);
        afterEoi?.Invoke();
        for (int i = saved.Length - 1; i >= 0; i--) Asm.pop(saved[i]);
        Asm.iretq();
    }

    /// <summary>Ends the run with PASS (exit code 0; clobbers RAX).</summary>
    public void Pass() => Exit.EmitExit(Asm, 0);

    /// <summary>Ends the run with exit code <paramref name="code"/> (non-zero is FAIL; clobbers RAX).</summary>
    public void Fail(uint code) => Exit.EmitExit(Asm, code);

    /// <summary>Halts for good with interrupts enabled: the VP still runs its interrupt handlers.</summary>
    public void IdleForever() => Asm.jmp(_idle);

    /// <summary>Emits the dispatch, the routines and the tables, and returns the ELF64 image (call once).</summary>
    public byte[] Build()
    {
        if (_built) throw new InvalidOperationException("the guest was already built");
        _built = true;
        var a = Asm;
        Builder.Bind(ref _dispatch);
        foreach (var (vp, entry) in _vps)
        {
            a.cmp(r12, vp);
            a.je(entry);
        }
        Builder.Bind(ref _idle);
        a.sti();
        a.hlt();
        a.jmp(_idle);

        Builder.Bind(ref _loadIdt);
        Idt.EmitLoad();
        a.ret();
        Exceptions.EmitRoutines();
        Checks.EmitRoutines();
        Hypercalls.EmitRoutines();
        Console.EmitRoutines();
        Gdt.EmitRoutines();
        return Builder.BuildElf();
    }
}

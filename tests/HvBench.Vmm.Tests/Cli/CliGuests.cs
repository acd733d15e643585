using HvBench.Guest;
using HvBench.Guest.Runtime;
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Vmm.Tests.Cli;

/// <summary>Small guests for the command-line tests, written to a temporary directory as ELF images.</summary>
internal sealed class CliGuests : IDisposable
{
    /// <summary>Where the two-VP guest enables its hypercall page (<c>vmcall; ret</c> is written there by the VMM).</summary>
    public const ulong HypercallPage = 0x300000;

    /// <summary>VP1's SIEF page.</summary>
    public const ulong SiefPage = 0x301000;

    /// <summary>The vector VP1 gives SINT2.</summary>
    public const byte SintVector = 0x50;

    private readonly string _dir = Directory.CreateTempSubdirectory("hvbench-cli-guests").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Writes <paramref name="image"/> as <paramref name="name"/> and returns its path.</summary>
    public string Write(string name, byte[] image)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, image);
        return path;
    }

    public string PathOf(string name) => Path.Combine(_dir, name);

    /// <summary>Prints "failing" and writes <paramref name="code"/> to the exit port.</summary>
    public string ExitsWith(uint code) => Write($"exit-{code}.elf", Build(g =>
    {
        var console = new GuestConsole(g);
        console.Print("failing\n");
        g.Asm.mov(eax, code);
        g.Asm.@out(0xF4, eax);
        g.Asm.hlt();
        console.EmitRoutines();
    }));

    /// <summary>Reads and writes port 0x80, which no device claims, then passes.</summary>
    public string TouchesAnUnclaimedPort() => Write("unclaimed-port.elf", Build(g =>
    {
        g.Asm.@in(al, 0x80);
        g.Asm.@out(0x80, al);
        g.Asm.@out(0x80, al);
        g.Asm.xor(eax, eax);
        g.Asm.@out(0xF4, al);
        g.Asm.hlt();
    }));

    /// <summary>Prints "spinning" on VP0, then every VP spins forever.</summary>
    public string PrintsThenSpins() => Write("spin.elf", Build(g =>
    {
        var a = g.Asm;
        var console = new GuestConsole(g);
        var spin = g.Function("spin_forever");
        a.test(rdi, rdi);
        a.jnz(spin);
        console.Print("spinning\n");
        g.Bind(ref spin);
        a.jmp(spin);
        console.EmitRoutines();
    }));

    /// <summary>
    /// Two VPs that make hypercalls through the hypercall page (run it with examples/signal.json: port 1 → VP1 SINT2,
    /// connection 7). VP1 sets up its SynIC (SIEFP, SINT2 = <see cref="SintVector"/> unmasked, SCONTROL) and its LAPIC,
    /// then says ready. VP0 sets the guest OS id, enables the hypercall page and signals connection 7 (fast
    /// HvSignalEvent: HV_STATUS_SUCCESS and a SINT on VP1). VP1 then signals the unknown connection 99 with a slow call,
    /// its input block at <c>vp1_signal_input</c> (HV_STATUS_INVALID_CONNECTION_ID). VP0 waits for it and passes. Interrupts stay off, so the SINT stays pending.
    /// </summary>
    public string SignalsAcrossTwoVps() => Write("signal-2vp.elf", Build(g =>
    {
        var a = g.Asm;
        ulong ready = g.Allocate("vp1_ready", 8);
        ulong pageOn = g.Allocate("page_enabled", 8);
        ulong done = g.Allocate("vp1_done", 8);
        ulong signalInput = g.Allocate("vp1_signal_input", 8);
        var vp1 = g.Function("vp1");
        var waitReady = g.Function("vp0_wait_ready");
        var waitDone = g.Function("vp0_wait_done");
        var waitPage = g.Function("vp1_wait_page");
        var park = g.Function("park");

        a.test(rdi, rdi);
        a.jnz(vp1);

        // VP0
        g.Bind(ref waitReady);
        a.pause();
        a.cmp(__qword_ptr[ready], 0);
        a.je(waitReady);
        WriteMsr(a, 0x40000000, 0x1);                   // HV_X64_MSR_GUEST_OS_ID
        WriteMsr(a, 0x40000001, HypercallPage | 1);     // HV_X64_MSR_HYPERCALL: enable
        a.mov(__qword_ptr[pageOn], 1);
        CallHypercallPage(a, connection: 7);
        g.Bind(ref waitDone);
        a.pause();
        a.cmp(__qword_ptr[done], 0);
        a.je(waitDone);
        a.xor(eax, eax);
        a.@out(0xF4, al);
        a.jmp(park);

        // VP1
        g.Bind(ref vp1);
        a.mov(ebx, 0xFEE000F0);                         // LAPIC SVR: software-enable, spurious vector 0xFF
        a.mov(__dword_ptr[rbx], 0x1FF);
        WriteMsr(a, 0x40000082, SiefPage | 1);          // SIEFP
        WriteMsr(a, 0x40000092, SintVector);            // SINT2: vector, unmasked
        WriteMsr(a, 0x40000080, 1);                     // SCONTROL: enable
        a.mov(__qword_ptr[ready], 1);
        g.Bind(ref waitPage);
        a.pause();
        a.cmp(__qword_ptr[pageOn], 0);
        a.je(waitPage);
        a.mov(__qword_ptr[signalInput], 99);             // HV_INPUT_SIGNAL_EVENT: ConnectionId 99, FlagNumber 0
        CallHypercallPageSlow(a, signalInput);
        a.mov(__qword_ptr[done], 1);

        g.Bind(ref park);
        a.cli();
        a.hlt();
        a.jmp(park);
    }));

    private static void WriteMsr(Assembler a, uint msr, ulong value)
    {
        a.mov(ecx, msr);
        a.mov(eax, (uint)value);
        a.mov(edx, (uint)(value >> 32));
        a.wrmsr();
    }

    private static void CallHypercallPage(Assembler a, uint connection)
    {
        a.mov(ecx, 0x1005D);                            // fast HvCallSignalEvent
        a.mov(edx, connection);                         // ConnectionId, flag 0
        a.mov(eax, (uint)HypercallPage);
        a.call(rax);
    }

    private static void CallHypercallPageSlow(Assembler a, ulong inputGpa)
    {
        a.mov(ecx, 0x5D);                               // slow HvCallSignalEvent
        a.mov(edx, (uint)inputGpa);                     // input block GPA
        a.xor(r8d, r8d);                                // no output
        a.mov(eax, (uint)HypercallPage);
        a.call(rax);
    }

    private static byte[] Build(Action<GuestBuilder> emit)
    {
        var g = new GuestBuilder();
        var start = g.Function("_start");
        g.Bind(ref start);
        emit(g);
        return g.BuildElf();
    }
}

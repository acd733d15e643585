using HvBench.Guest;
using HvBench.Guest.Runtime;
using HvBench.Tests;
using HvBench.Vmm.Tests.Machines;
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Vmm.Tests.Guest;

/// <summary>A guest (built here, not in images/) that checks, on every VP, each promise of guest-abi.md "Boot state"
/// before it changes anything: registers, control registers, EFER, selectors, IDT, LAPIC, the stack and the identity
/// map. Each check is its own assertion, so a failure names what broke (its message, and exit code 100 + its number).</summary>
[TestFixture, Category("Kvm")]
public sealed class TheBootStateOfEveryVp
{
    private const ulong RamBytes = 64UL << 20;
    private const ulong Marker = 0x4D544F4F42425648; // "HVBBOOTM", written by VP0 through the identity map

    [TestCase(1), TestCase(2), CancelAfter(60_000)]
    public void IsWhatTheGuestAbiPromises(int vcpus, CancellationToken token)
    {
        KvmRequirement.Require();
        byte[] image = Build(vcpus, out ulong dataEnd);
        var config = new MachineConfig
        {
            Image = GuestRun.Parse(image, RamBytes, vcpus),
            VcpuCount = vcpus,
            MemoryBytes = RamBytes,
            Timeout = TimeSpan.FromSeconds(30),
        };
        ulong imageEnd = config.Image.Segments.Max(s => s.Gpa + s.MemorySize);
        Assert.That(imageEnd, Is.LessThanOrEqualTo(dataEnd), "the guest's own idea of where the image ends");

        using var machine = Machine.Create(config);
        RunResult result = machine.Run(token);

        Assert.That(result.Verdict, Is.EqualTo("PASS"), result.ConsoleText);
        // Seen from the host: the guest's writes at virtual addresses landed at the same physical addresses.
        Assert.That(machine.Memory.ReadUInt64(RamBytes - 8), Is.EqualTo(Marker), "the last word of RAM is identity-mapped");
        Assert.That(machine.Memory.ReadUInt64(RamBytes / 2), Is.EqualTo(Marker), "the middle of RAM is identity-mapped");
    }

    // Pushed at entry, in this order, so each register's boot value can be read back from the stack.
    private static readonly string[] Pushed = ["RFLAGS", "RAX", "RBX", "RCX", "RDX", "RSI", "RDI", "RBP", "R8", "R9", "R10", "R11", "R12", "R13", "R14", "R15"];
    private static readonly AssemblerRegister64[] PushedRegisters = [rax, rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15];
    private static readonly string[] MustBeZero = ["RAX", "RBX", "RCX", "RBP", "R8", "R9", "R10", "R11", "R12", "R13", "R14", "R15"];

    private static int Slot(string register) => (Pushed.Length - 1 - Array.IndexOf(Pushed, register)) * 8;

    private static byte[] Build(int vcpus, out ulong dataEnd)
    {
        var g = new GuestBuilder();
        var a = g.Asm;
        var console = new GuestConsole(g);
        var checks = new Assertions(g, console);
        var sync = new Sync(g);
        ulong stackTops = g.Allocate("stack_tops", 8 * 2);
        ulong arrived = g.Allocate("vps_checked", 8);
        // The last allocation, rounded up as the ELF writer rounds the data segment: nothing of the image lies above.
        dataEnd = (g.Allocate("data_end", 8) + 8 + 0xFFF) & ~0xFFFUL;

        var start = g.Function("_start");
        g.Bind(ref start);
        a.pushfq();
        foreach (var register in PushedRegisters) a.push(register);
        a.mov(rbp, rsp);                            // [rbp + Slot(name)] = that register at boot

        a.mov(rax, __qword_ptr[rbp + Slot("RFLAGS")]);
        a.cmp(rax, 2);
        a.jne(checks.Failure("RFLAGS is not 0x2"));
        foreach (string name in MustBeZero)
        {
            a.cmp(__qword_ptr[rbp + Slot(name)], 0);
            a.jne(checks.Failure($"{name} is not 0 at boot"));
        }
        a.mov(eax, Lapic.Base + 0x20);
        a.mov(eax, __dword_ptr[rax]);
        a.shr(eax, 24);
        a.cmp(rax, __qword_ptr[rbp + Slot("RDI")]);
        a.jne(checks.Failure("RDI is not the VP index (the LAPIC id)"));
        a.cmp(__qword_ptr[rbp + Slot("RSI")], vcpus);
        a.jne(checks.Failure("RSI is not the VP count"));
        a.mov(rax, RamBytes);
        a.cmp(__qword_ptr[rbp + Slot("RDX")], rax);
        a.jne(checks.Failure("RDX is not the RAM size"));

        // RSP: 16-byte aligned, and its 64 KiB stack inside RAM: either below the image (the reserved first MiB)
        // or above the image's end and at most at the top of RAM.
        Label lowStack = a.CreateLabel(), stackChecked = a.CreateLabel();
        a.lea(rbx, __[rbp + Pushed.Length * 8]);   // RSP at boot
        a.test(bl, 0xF);
        a.jnz(checks.Failure("RSP is not 16-byte aligned"));
        a.mov(eax, (uint)GuestBuilder.CodeBase);
        a.cmp(rbx, rax);
        a.jbe(lowStack);
        a.lea(rcx, __[rbx - 0x10000]);
        a.mov(rax, dataEnd);
        a.cmp(rcx, rax);
        a.jb(checks.Failure("RSP's 64 KiB stack overlaps the loaded image"));
        a.mov(rax, RamBytes);
        a.cmp(rbx, rax);
        a.ja(checks.Failure("RSP lies above the end of RAM"));
        a.jmp(stackChecked);
        a.Label(ref lowStack);
        a.cmp(rbx, 0x10000);
        a.jb(checks.Failure("RSP's 64 KiB stack starts below address 0"));
        a.Label(ref stackChecked);
        a.mov(rcx, __qword_ptr[rbp + Slot("RDI")]);
        a.mov(rax, stackTops);
        a.mov(__qword_ptr[rax + rcx * 8], rbx);

        CheckBitsSet(checks, a, () => a.mov(rax, cr0), 0x8001_0033, "CR0 lacks one of PE, MP, ET, NE, WP, PG");
        CheckBitsSet(checks, a, () => a.mov(rax, cr4), 0x620, "CR4 lacks one of PAE, OSFXSR, OSXMMEXCPT");
        CheckBitsSet(checks, a, () => { Msr.EmitRead(a, 0xC000_0080); }, 0xD01, "EFER lacks one of SCE, LME, LMA, NXE");

        a.mov(ax, cs);
        a.cmp(ax, 0x08);
        a.jne(checks.Failure("CS is not 0x08"));
        foreach (var (segment, name) in new[] { (ds, "DS"), (es, "ES"), (ss, "SS"), (fs, "FS"), (gs, "GS") })
        {
            a.mov(ax, segment);
            a.cmp(ax, 0x10);
            a.jne(checks.Failure($"{name} is not 0x10"));
        }
        a.sub(rsp, 16);
        a.sidt(__[rsp]);
        a.cmp(__word_ptr[rsp], 0);
        a.jne(checks.Failure("the IDT limit is not 0"));
        a.add(rsp, 16);
        a.mov(eax, Lapic.Base + 0xF0);
        a.bt(__dword_ptr[rax], 8);
        a.jc(checks.Failure("the LAPIC is software-enabled (SVR bit 8 set)"));

        a.mov(rax, arrived);
        a.@lock.inc(__qword_ptr[rax]);
        Label parked = a.CreateLabel();
        a.cmp(__qword_ptr[rbp + Slot("RDI")], 0);
        a.jne(parked);

        // VP0: once every VP has checked itself, the stacks must be apart, then the identity-map markers and PASS.
        sync.EmitWaitAtLeast(arrived, vcpus);
        if (vcpus == 2)
        {
            a.mov(rax, stackTops);
            a.mov(rcx, __qword_ptr[rax]);
            a.sub(rcx, __qword_ptr[rax + 8]);
            Label positive = a.CreateLabel();
            a.jns(positive);
            a.neg(rcx);
            a.Label(ref positive);
            a.cmp(rcx, 0x10000);
            a.jb(checks.Failure("the two VPs' 64 KiB stacks overlap"));
        }
        a.mov(rcx, Marker);
        a.mov(rax, RamBytes - 8);
        a.mov(__qword_ptr[rax], rcx);
        a.mov(rax, RamBytes / 2);
        a.mov(__qword_ptr[rax], rcx);
        Exit.EmitExit(a, 0);
        a.Label(ref parked);
        a.cli();
        a.hlt();
        a.jmp(parked);

        checks.EmitRoutines();
        console.EmitRoutines();
        return g.BuildElf();
    }

    // Loads a value into RAX (emit) and fails with message unless every bit of mask is set.
    private static void CheckBitsSet(Assertions checks, Assembler a, Action emit, uint mask, string message)
    {
        emit();
        a.mov(ecx, mask);
        a.and(rax, rcx);
        a.cmp(rax, rcx);
        a.jne(checks.Failure(message));
    }
}

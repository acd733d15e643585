using HvBench.Guest.Runtime;
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Vmm.Tests.Hostile;

/// <summary>A one-VP guest that makes a list of hypercalls through its hypercall page, each with the registers the host
/// chose (RAX, RBX, RCX, RDX, R8), stores each result value as a sample, and fails as a check if a call changed any of
/// RBX, RCX, RDX or R8 (a hypercall returns its result in RAX and nothing else). Before the calls it fills one page of
/// its RAM, <see cref="InputPage"/>, with the words the host chose: input blocks that slow calls can point at.</summary>
internal static class HypercallTableGuest
{
    /// <summary>The vector of SINT2 and SINT3, both unmasked so that signals and messages to VP0 can succeed.</summary>
    public const byte SintVector = 0x50;

    /// <summary>The page the guest fills with the host's words (the first page its data area reserves after the runtime's).</summary>
    public static ulong InputPage { get; } = ProbeInputPage();

    /// <summary>Builds the guest for <paramref name="calls"/>, with <paramref name="pageWords"/> (at most 512) in <see cref="InputPage"/>.</summary>
    public static byte[] Build(IReadOnlyList<HypercallRegisters> calls, IReadOnlyList<ulong> pageWords)
    {
        if (pageWords.Count > 512) throw new ArgumentException("one page holds 512 words", nameof(pageWords));
        var guest = new HypervGuest(maxVps: 1);
        var a = guest.Asm;
        ulong page = guest.Builder.Allocate("hypercall_inputs", 4096, 4096);
        if (page != InputPage) throw new InvalidOperationException($"the input page moved to 0x{page:x}");
        var results = new ResultsBuffer(guest.Builder, calls.Count);
        Label pageTable = HostileGuests.Table(guest.Builder, "input_page_words");
        Label callTable = HostileGuests.Table(guest.Builder, "hypercall_registers");
        int count = calls.Count, words = Math.Max(1, pageWords.Count);

        guest.OnVp(0, () =>
        {
            Label copy = a.CreateLabel(), call = a.CreateLabel();
            results.EmitInitialise();
            guest.Synic.EmitEnableHypercallPage();
            guest.Synic.EmitEnable(guest.VpIndex);
            guest.Synic.EmitSetSint(2, SintVector);         // interrupts stay off: SINTs stay pending, unseen
            guest.Synic.EmitSetSint(3, SintVector);
            a.lea(rsi, __[pageTable]);
            a.mov(rdi, page);
            a.mov(ecx, words);
            a.Label(ref copy);
            a.mov(rax, __qword_ptr[rsi]);
            a.mov(__qword_ptr[rdi], rax);
            a.add(rsi, 8);
            a.add(rdi, 8);
            a.dec(ecx);
            a.jnz(copy);

            a.lea(r14, __[callTable]);
            a.mov(r15, results.Samples);
            a.mov(r10d, count);
            a.Label(ref call);
            a.mov(rax, __qword_ptr[r14]);
            a.mov(rbx, __qword_ptr[r14 + 8]);
            a.mov(rcx, __qword_ptr[r14 + 16]);
            a.mov(rdx, __qword_ptr[r14 + 24]);
            a.mov(r8, __qword_ptr[r14 + 32]);
            guest.Hypercalls.EmitCall(HypercallRoute.Page);
            a.mov(__qword_ptr[r15], rax);
            a.cmp(rbx, __qword_ptr[r14 + 8]);
            a.jne(guest.Checks.Failure("a hypercall changed RBX"));
            a.cmp(rcx, __qword_ptr[r14 + 16]);
            a.jne(guest.Checks.Failure("a hypercall changed RCX"));
            a.cmp(rdx, __qword_ptr[r14 + 24]);
            a.jne(guest.Checks.Failure("a hypercall changed RDX"));
            a.cmp(r8, __qword_ptr[r14 + 32]);
            a.jne(guest.Checks.Failure("a hypercall changed R8"));
            a.add(r14, 40);
            a.add(r15, 8);
            a.dec(r10d);
            a.jnz(call);
            a.mov(rax, results.SampleCount);
            a.mov(__qword_ptr[rax], count);
            guest.Pass();
        });
        HostileGuests.EmitTable(guest.Builder, ref pageTable, pageWords.Count == 0 ? [0UL] : pageWords);
        HostileGuests.EmitTable(guest.Builder, ref callTable, [.. calls.SelectMany(c => new[] { c.Rax, c.Rbx, c.Rcx, c.Rdx, c.R8 })]);
        return guest.Build();
    }

    private static ulong ProbeInputPage() => new HypervGuest(maxVps: 1).Builder.Allocate("hypercall_inputs", 4096, 4096);
}

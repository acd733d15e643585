using System.Buffers.Binary;
using HvBench.Guest;
using HvBench.Guest.Runtime;
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Vmm.Tests.Hostile;

/// <summary>Pieces the hostile guests share: data tables in the code segment, a #GP handler that steps over a faulting
/// WRMSR or RDMSR, and the text a failed assertion shows.</summary>
internal static class HostileGuests
{
    /// <summary>WRMSR (0F 30) and RDMSR (0F 32) as the little-endian word at RIP.</summary>
    private const int WrmsrWord = 0x300F, RdmsrWord = 0x320F;

    /// <summary>The verdict, the console and every VP's registers: what a failed assertion about a run should show.</summary>
    public static string Describe(RunResult result) =>
        $"{result.Verdict}\n{result.ConsoleText}{string.Join("\n", result.Registers.Select(r => r.Format()))}";

    /// <summary>Creates the label of a table of 64-bit words; <see cref="EmitTable"/> places it (after all code).</summary>
    public static Label Table(GuestBuilder builder, string name) => builder.Object(name);

    /// <summary>Binds <paramref name="label"/> to <paramref name="words"/>, written into the code segment. Call it where
    /// nothing executes: after the last <see cref="HypervGuest.OnVp"/>, whose body ends in a jump.</summary>
    public static void EmitTable(GuestBuilder builder, ref Label label, IReadOnlyList<ulong> words)
    {
        byte[] bytes = new byte[Math.Max(8, words.Count * 8)];
        for (int i = 0; i < words.Count; i++) BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * 8), words[i]);
        builder.Bind(ref label);
        builder.Asm.db(bytes);
    }

    /// <summary>Routes #GP to a handler that counts it in the word at <paramref name="counter"/> and resumes after the
    /// 2-byte WRMSR or RDMSR that raised it; a #GP anywhere else fails the run as a check. Call it where nothing
    /// executes: before the first <see cref="HypervGuest.OnVp"/> (the prologue ends in a jump) or after the last.</summary>
    public static void EmitMsrFaultSkipper(HypervGuest guest, ulong counter)
    {
        var a = guest.Asm;
        Label handler = guest.Builder.Function("gp_step_over_msr");
        guest.Idt.SetHandler(13, handler);
        Label stepOver = a.CreateLabel();
        guest.Builder.Bind(ref handler);
        a.push(rax);                                    // frame: [RSP] = RAX, [RSP+8] = error code, [RSP+16] = RIP
        a.mov(rax, __qword_ptr[rsp + 16]);
        a.movzx(eax, __word_ptr[rax]);
        a.cmp(eax, WrmsrWord);
        a.je(stepOver);
        a.cmp(eax, RdmsrWord);
        a.jne(guest.Checks.Failure("#GP outside a WRMSR or RDMSR"));
        a.Label(ref stepOver);
        a.mov(rax, counter);
        a.@lock.inc(__qword_ptr[rax]);
        a.pop(rax);
        a.add(__qword_ptr[rsp + 8], 2);                 // RIP past the instruction
        a.add(rsp, 8);                                  // the error code
        a.iretq();
    }

    /// <summary>Fast HvSignalEvent (TLFS convention); a status other than HV_STATUS_SUCCESS fails the run as a check.</summary>
    public static void SignalExpectingSuccess(HypervGuest guest, uint connectionId, ushort flag)
    {
        guest.Hypercalls.EmitSignalEvent(Convention.Tlfs, connectionId, flag);
        guest.Asm.test(ax, ax);
        guest.Asm.jnz(guest.Checks.Failure("HvSignalEvent did not return HV_STATUS_SUCCESS"));
    }

    /// <summary>HvPostMessage of type 1 with the 8-byte <paramref name="payload"/>, its input block written at
    /// <paramref name="input"/> (256 bytes, 8-aligned); a status other than HV_STATUS_SUCCESS fails the run as a check.</summary>
    public static void PostExpectingSuccess(HypervGuest guest, ulong input, uint connectionId, ulong payload)
    {
        var a = guest.Asm;
        guest.Hypercalls.EmitMessageInput(input, connectionId, messageType: 1, payload);
        guest.Hypercalls.EmitPostMessage(Convention.Tlfs, input);
        a.test(ax, ax);
        a.jnz(guest.Checks.Failure("HvPostMessage did not return HV_STATUS_SUCCESS"));
    }

    /// <summary>Opens a short window for pending interrupts to arrive, then closes it again.</summary>
    public static void AllowInterrupts(Assembler a)
    {
        a.sti();
        a.nop();
        a.nop();
        a.cli();
    }

    /// <summary>Sleeps with interrupts on until the word at <paramref name="counter"/> reaches <paramref name="value"/>;
    /// returns with interrupts off (clobbers RAX).</summary>
    public static void WaitFor(Assembler a, ulong counter, int value)
    {
        Label check = a.CreateLabel(), done = a.CreateLabel();
        a.Label(ref check);
        a.cli();
        a.mov(rax, counter);
        a.cmp(__qword_ptr[rax], value);
        a.jae(done);
        a.sti();
        a.hlt();
        a.jmp(check);
        a.Label(ref done);
        a.nop();                                        // the label's own instruction: the caller may bind one next
    }

    /// <summary>Copies the word at <paramref name="from"/> to <paramref name="to"/> (clobbers RAX, RDX).</summary>
    public static void Copy(Assembler a, ulong from, ulong to)
    {
        a.mov(rax, from);
        a.mov(rax, __qword_ptr[rax]);
        a.mov(rdx, to);
        a.mov(__qword_ptr[rdx], rax);
    }
}

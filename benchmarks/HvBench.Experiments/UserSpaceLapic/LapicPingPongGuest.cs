using System.Buffers.Binary;
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Experiments.UserSpaceLapic;

/// <summary>The one guest both paths run, as flat code at <see cref="CodeBase"/>: VP0 times a doorbell (<c>out 0x80</c>)
/// and waits for VP1's acknowledgement; VP1 sits in <c>sti; hlt</c> and its vector-0x40 handler records
/// (handler TSC − VP0's doorbell TSC), writes EOI, acknowledges and returns. VP0 ends the run with <c>out 0xF4</c>.</summary>
public static class LapicPingPongGuest
{
    /// <summary>Where the code is loaded and every VP starts.</summary>
    public const ulong CodeBase = 0x100000;

    /// <summary>The vector VP1 receives.</summary>
    public const byte Vector = 0x40;

    /// <summary>VP0's doorbell port and the end-of-run port.</summary>
    public const ushort DoorbellPort = 0x80, DonePort = 0xF4;

    /// <summary>The xAPIC page and the registers the guest touches.</summary>
    public const uint LapicBase = 0xFEE00000, LapicId = LapicBase + 0x20, LapicEoi = LapicBase + 0xB0, LapicSvr = LapicBase + 0xF0;

    private const ulong Idt = 0x200000;               // 256 gates of 16 bytes, written by the host
    private const ulong IdtRegister = 0x201000;       // limit (2 bytes) and base (8 bytes)
    private const ulong DoorbellTsc = 0x201100;       // VP0's TSC just before its doorbell
    /// <summary>VP1's count of handled interrupts (VP0 waits for it to reach round + 1).</summary>
    public const ulong Acknowledged = 0x201108;
    private const ulong Ready = 0x201110;             // VP1 has its IDT and LAPIC set up
    /// <summary>The APIC id register as VP1 read it (bits 31..24 = APIC id).</summary>
    public const ulong ApicIdSeen = 0x201118;
    /// <summary>One-way samples: VP1's handler TSC − VP0's doorbell TSC, one qword per round.</summary>
    public const ulong OneWaySamples = 0x300000;

    /// <summary>Round-trip samples (VP0: doorbell TSC → acknowledgement seen), one qword per round, after the one-way ones.</summary>
    public static ulong RoundTripSamples(int rounds) => OneWaySamples + (ulong)rounds * 8;

    /// <summary>Guest RAM the layout needs for <paramref name="rounds"/> rounds, with room for the stacks.</summary>
    public static ulong MemoryBytes(int rounds) => (RoundTripSamples(rounds) + (ulong)rounds * 8 + 0x100000 + 0xFFFFF) & ~0xFFFFFUL;

    /// <summary>Assembles the guest for <paramref name="rounds"/> rounds and writes code, IDT and IDTR into <paramref name="ram"/>
    /// (a view of guest RAM from GPA 0).</summary>
    public static void Write(Span<byte> ram, int rounds)
    {
        var a = new Assembler(64);
        Label vp1 = a.CreateLabel(), handler = a.CreateLabel(), spinReady = a.CreateLabel(), round = a.CreateLabel();
        Label waitAck = a.CreateLabel(), done = a.CreateLabel(), idle = a.CreateLabel();

        // RDI = VP index (guest-abi.md boot state).
        a.test(edi, edi);
        a.jnz(vp1);

        // VP0: wait for VP1, then the timed rounds.
        a.mov(rbx, Ready);
        a.Label(ref spinReady);
        a.cmp(__qword_ptr[rbx], 0);
        a.je(spinReady);
        a.xor(r12d, r12d);                             // round
        a.mov(r13d, rounds);
        a.mov(rbx, DoorbellTsc);
        a.mov(rsi, Acknowledged);
        a.mov(r8, RoundTripSamples(rounds));
        a.Label(ref round);
        a.lfence();
        a.rdtsc();
        a.shl(rdx, 32);
        a.or(rax, rdx);
        a.mov(r14, rax);
        a.mov(__qword_ptr[rbx], rax);
        a.@out((byte)DoorbellPort, al);
        a.lea(r15, __[r12 + 1]);
        a.Label(ref waitAck);
        a.cmp(__qword_ptr[rsi], r15);
        a.jne(waitAck);
        a.lfence();
        a.rdtsc();
        a.shl(rdx, 32);
        a.or(rax, rdx);
        a.sub(rax, r14);
        a.mov(__qword_ptr[r8 + r12 * 8], rax);
        a.mov(r12, r15);
        a.cmp(r12, r13);
        a.jb(round);
        a.Label(ref done);
        a.xor(eax, eax);
        a.@out((byte)DonePort, al);
        a.hlt();
        a.jmp(done);

        // VP1: IDT, LAPIC on, APIC id read once, ready, then halt between interrupts.
        a.Label(ref vp1);
        a.mov(rax, IdtRegister);
        a.lidt(__[rax]);
        a.mov(eax, LapicSvr);
        a.mov(__dword_ptr[rax], 0x1FF);
        a.mov(eax, LapicId);
        a.mov(eax, __dword_ptr[rax]);
        a.mov(rbx, ApicIdSeen);
        a.mov(__qword_ptr[rbx], rax);
        a.mov(rbx, Ready);
        a.mov(__qword_ptr[rbx], 1);
        a.Label(ref idle);
        a.sti();
        a.hlt();
        a.jmp(idle);

        // Vector 0x40: sample, EOI, acknowledge.
        a.Label(ref handler);
        a.push(rax);
        a.push(rdx);
        a.push(rbx);
        a.push(rcx);
        a.lfence();
        a.rdtsc();
        a.shl(rdx, 32);
        a.or(rax, rdx);
        a.mov(rbx, DoorbellTsc);
        a.sub(rax, __qword_ptr[rbx]);
        a.mov(rbx, Acknowledged);
        a.mov(rcx, __qword_ptr[rbx]);
        a.mov(rdx, OneWaySamples);
        a.mov(__qword_ptr[rdx + rcx * 8], rax);
        a.mov(eax, LapicEoi);
        a.mov(__dword_ptr[rax], 0);
        a.inc(__qword_ptr[rbx]);
        a.pop(rcx);
        a.pop(rbx);
        a.pop(rdx);
        a.pop(rax);
        a.iretq();

        var writer = new CodeBytes();
        AssemblerResult result = a.Assemble(writer, CodeBase, BlockEncoderOptions.ReturnNewInstructionOffsets);
        writer.Bytes.CopyTo(ram[(int)CodeBase..]);
        ulong handlerAddress = result.GetLabelRIP(handler);

        Span<byte> gate = ram.Slice((int)(Idt + Vector * 16UL), 16);
        BinaryPrimitives.WriteUInt16LittleEndian(gate, (ushort)handlerAddress);
        BinaryPrimitives.WriteUInt16LittleEndian(gate[2..], 0x08);         // BootLayout.CodeSelector
        BinaryPrimitives.WriteUInt16LittleEndian(gate[4..], 0x8E00);       // present, DPL 0, 64-bit interrupt gate
        BinaryPrimitives.WriteUInt16LittleEndian(gate[6..], (ushort)(handlerAddress >> 16));
        BinaryPrimitives.WriteUInt32LittleEndian(gate[8..], (uint)(handlerAddress >> 32));
        BinaryPrimitives.WriteUInt16LittleEndian(ram[(int)IdtRegister..], 256 * 16 - 1);
        BinaryPrimitives.WriteUInt64LittleEndian(ram[(int)(IdtRegister + 2)..], Idt);
    }

    private sealed class CodeBytes : CodeWriter
    {
        private readonly List<byte> _bytes = [];

        public byte[] Bytes => [.. _bytes];

        public override void WriteByte(byte value) => _bytes.Add(value);
    }
}

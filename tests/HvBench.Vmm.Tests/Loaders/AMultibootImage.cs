using System.Buffers.Binary;
using HvBench.Vmm.Loaders;
using HvBench.Vmm.Tests.Machines;
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Vmm.Tests.Loaders;

/// <summary>Builds a minimal multiboot v1 image: an ELF32 i386 ET_EXEC file whose one PT_LOAD segment maps the whole
/// file at 1 MiB, the multiboot header right after the ELF and program headers, then 32-bit code.</summary>
internal static class MultibootImages
{
    public const uint LoadAddress = 0x100000;
    private const int HeadersSize = 52 + 32;
    public const uint HeaderAt = LoadAddress + HeadersSize;
    public const uint Entry = HeaderAt + 12;

    public static byte[] Build(Action<Assembler> code, uint flags = 0, bool goodChecksum = true, ushort machine = 3)
    {
        var a = new Assembler(32);
        code(a);
        using var stream = new MemoryStream();
        a.Assemble(new StreamCodeWriter(stream), Entry);
        byte[] body = stream.ToArray();

        byte[] file = new byte[HeadersSize + 12 + body.Length];
        Span<byte> f = file;
        f[0] = 0x7F; f[1] = (byte)'E'; f[2] = (byte)'L'; f[3] = (byte)'F';
        f[4] = 1; f[5] = 1; f[6] = 1;                                       // ELFCLASS32, little-endian, EV_CURRENT
        BinaryPrimitives.WriteUInt16LittleEndian(f[16..], 2);                // ET_EXEC
        BinaryPrimitives.WriteUInt16LittleEndian(f[18..], machine);
        BinaryPrimitives.WriteUInt32LittleEndian(f[20..], 1);
        BinaryPrimitives.WriteUInt32LittleEndian(f[24..], Entry);
        BinaryPrimitives.WriteUInt32LittleEndian(f[28..], 52);              // e_phoff
        BinaryPrimitives.WriteUInt16LittleEndian(f[40..], 52);              // e_ehsize
        BinaryPrimitives.WriteUInt16LittleEndian(f[42..], 32);              // e_phentsize
        BinaryPrimitives.WriteUInt16LittleEndian(f[44..], 1);               // e_phnum
        Span<byte> ph = f[52..];
        BinaryPrimitives.WriteUInt32LittleEndian(ph, 1);                    // PT_LOAD
        BinaryPrimitives.WriteUInt32LittleEndian(ph[8..], LoadAddress);
        BinaryPrimitives.WriteUInt32LittleEndian(ph[12..], LoadAddress);
        BinaryPrimitives.WriteUInt32LittleEndian(ph[16..], (uint)file.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(ph[20..], (uint)file.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(ph[24..], 5);              // PF_R | PF_X
        Span<byte> header = f[HeadersSize..];
        BinaryPrimitives.WriteUInt32LittleEndian(header, MultibootHeader.Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], unchecked(0u - MultibootHeader.Magic - flags + (goodChecksum ? 0u : 1u)));
        body.CopyTo(f[(HeadersSize + 12)..]);
        return file;
    }

    public static void Exit(Assembler a) { a.xor(eax, eax); a.@out(0xF4, al); }
}

[TestFixture, Category("Unit")]
public sealed class AMultibootImage
{
    private static GuestImage Parse(byte[] file) => TestImages.Parse(file, "mb.elf");

    [Test]
    public void LoadsFromItsProgramHeadersAndStartsAtItsEntry()
    {
        GuestImage image = Parse(MultibootImages.Build(MultibootImages.Exit));
        Assert.That(image.Format, Is.EqualTo(GuestImageFormat.Multiboot));
        Assert.That(image.Entry, Is.EqualTo((ulong)MultibootImages.Entry));
        Assert.That(image.Segments.Single().Gpa, Is.EqualTo((ulong)MultibootImages.LoadAddress));
    }

    [Test]
    public void AcceptsTheMemoryInformationRequirement() =>
        Assert.That(Parse(MultibootImages.Build(MultibootImages.Exit, flags: 3)).Format, Is.EqualTo(GuestImageFormat.Multiboot));

    private static IEnumerable<TestCaseData> Refusals()
    {
        yield return new TestCaseData(MultibootImages.Build(MultibootImages.Exit, goodChecksum: false), "does not make magic + flags + checksum zero").SetName("BadChecksum");
        yield return new TestCaseData(MultibootImages.Build(MultibootImages.Exit, flags: 4), "requires a video mode (flag 2)").SetName("VideoMode");
        yield return new TestCaseData(MultibootImages.Build(MultibootImages.Exit, flags: 1 << 9), "requires features HvBench does not know (flags 0x200)").SetName("UnknownRequirement");
        yield return new TestCaseData(MultibootImages.Build(MultibootImages.Exit, flags: 1 << 16), "sets flag 16").SetName("AddressFields");
        yield return new TestCaseData(MultibootImages.Build(MultibootImages.Exit, machine: 62), "ELF machine is 62 (EM_X86_64), expected 3 (EM_386)").SetName("X8664Machine");
        byte[] noHeader = MultibootImages.Build(MultibootImages.Exit);
        BinaryPrimitives.WriteUInt32LittleEndian(noHeader.AsSpan((int)(MultibootImages.HeaderAt - MultibootImages.LoadAddress)), 0);
        yield return new TestCaseData(noHeader, "without a multiboot header in its first 8 KiB").SetName("NoHeader");
    }

    [TestCaseSource(nameof(Refusals))]
    public void IsRefusedInOneLine(byte[] file, string problem)
    {
        var e = Assert.Throws<ImageFormatException>(() => Parse(file))!;
        Assert.That(e.Message, Does.StartWith("mb.elf: ").And.Contain(problem).And.Not.Contain("\n"));
    }
}

/// <summary>A multiboot guest on KVM checks the machine state of the Multiboot Specification (section 3.2) and HvBench's
/// additions; each failed check exits with its own code.</summary>
[TestFixture, Category("Kvm")]
public sealed class AMultibootGuestOnKvm
{
    [Test, CancelAfter(30_000)]
    public void StartsIn32BitProtectedModeWithTheBootloaderMagicAndMemorySizes(CancellationToken token)
    {
        const ulong Ram = 64UL << 20;
        byte[] image = MultibootImages.Build(a =>
        {
            var fail = a.CreateLabel();
            a.mov(ebp, 1);
            a.cmp(eax, MultibootHeader.BootloaderMagic);
            a.jne(fail);
            a.mov(ebp, 2);
            a.test(__dword_ptr[ebx], 1);                 // flags: mem_lower / mem_upper valid
            a.jz(fail);
            a.mov(ebp, 3);
            a.cmp(__dword_ptr[ebx + 8], (uint)((Ram - 0x100000) / 1024));
            a.jne(fail);
            a.mov(ebp, 4);
            a.mov(ecx, cr0);
            a.test(ecx, 0x80000000);                     // paging off
            a.jnz(fail);
            a.test(ecx, 1);                              // protected mode on
            a.jz(fail);
            a.mov(ebp, 5);
            a.mov(cx, cs);
            a.cmp(cx, 0x18);
            a.jne(fail);
            a.mov(ebp, 6);
            a.pushfd();
            a.pop(ecx);
            a.test(ecx, 0x200);                          // interrupts off
            a.jnz(fail);
            a.mov(ebp, 7);
            a.cmp(esi, 2);                               // VP count
            a.jne(fail);
            a.mov(ebp, 8);
            a.cmp(edi, 1);                               // VP index
            a.ja(fail);
            a.mov(ebp, 9);
            a.cmp(esp, 0);                               // a stack of its own
            a.je(fail);
            a.push(eax);                                 // and it works
            a.pop(eax);
            a.mov(al, (byte)'M');
            a.@out(0xE9, al);
            a.test(edi, edi);
            var park = a.CreateLabel();
            a.jnz(park);
            a.mov(al, (byte)'\n');
            a.@out(0xE9, al);
            a.xor(eax, eax);
            a.@out(0xF4, al);
            a.Label(ref park);
            a.cli();
            a.hlt();
            a.jmp(park);
            a.Label(ref fail);
            a.mov(eax, ebp);
            a.@out(0xF4, al);
        });
        RunResult result = GuestRun.Boot(image, vcpus: 2, token: token, memoryBytes: Ram);
        Assert.That(result.Verdict, Is.EqualTo("PASS"), $"failed check {result.GuestExitCode}");
        Assert.That(result.ConsoleText, Does.Contain("M"));
    }

    [Test, CancelAfter(30_000)]
    public void IsReportedIn32BitTermsWhenItHangs(CancellationToken token)
    {
        // 0x40 is INC EAX in 32-bit code and a REX prefix in 64-bit code: the report must decode the mode the VP is in.
        byte[] image = MultibootImages.Build(a =>
        {
            var spin = a.CreateLabel();
            a.Label(ref spin);
            a.inc(eax);
            a.jmp(spin);
        });
        RunResult result = GuestRun.Boot(image, vcpus: 1, timeoutSeconds: 1, token: token);
        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.TimedOut), result.Verdict);
        Assert.That(result.Registers.Single().Instruction, Does.StartWith("inc eax").Or.StartWith("jmp"), result.Verdict);
        Assert.That(result.Registers.Single().CodeBitness, Is.EqualTo(32));
    }
}

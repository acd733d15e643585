using System.Text;
using HvBench.Vmm.Loaders;
using static HvBench.Vmm.Tests.Loaders.TestImages;

namespace HvBench.Vmm.Tests.Loaders;

[TestFixture]
[Category("Unit")]
public sealed class AMalformedElfImage
{
    private const uint ShtSymtab = 2;

    private static readonly byte[] s_sample = Sample();

    private static int SymtabHeader => Shdr(s_sample, SectionOfType(s_sample, ShtSymtab));

    private static IEnumerable<TestCaseData> Cases()
    {
        byte[] s = s_sample;
        int len = s.Length;

        yield return Case("NotElfAndNotNamedBin", Encoding.ASCII.GetBytes("MZ this is not an ELF file"), "images/x.img",
            "images/x.img: not an ELF64 image; use --format flat for a flat binary");
        yield return Case("EmptyFileNotNamedBin", [], "x.elf", "x.elf: not an ELF64 image; use --format flat for a flat binary");
        yield return Case("Elf32", s.WithByte(4, 1), "x.elf", "x.elf: ELF machine is 62 (EM_X86_64), expected 3 (EM_386) for a 32-bit image");
        yield return Case("ShortElf32", s[..5].WithByte(4, 1), "x.elf", "x.elf: truncated: the ELF header ends at byte 52 of a 5-byte file");
        yield return Case("ElfClass3", s.WithByte(4, 3), "x.elf", "x.elf: ELF class is 3 (invalid), expected 2 (ELFCLASS64) or 1 (ELFCLASS32, multiboot)");
        yield return Case("BigEndian", s.WithByte(5, 2), "x.elf", "ELF data encoding is 2 (ELFDATA2MSB, big-endian), expected 1 (ELFDATA2LSB): not a little-endian image");
        yield return Case("IdentVersion0", s.WithByte(6, 0), "x.elf", "ELF identification version is 0, expected 1 (EV_CURRENT)");
        yield return Case("HeaderCutShort", s[..40], "x.elf", "x.elf: truncated: the ELF header ends at byte 64 of a 40-byte file");
        yield return Case("I386", s.With16(EMachine, 3), "x.elf", "x.elf: ELF machine is 3 (EM_386), expected 62 (x86-64)");
        yield return Case("AArch64", s.With16(EMachine, 183), "x.elf", "ELF machine is 183 (EM_AARCH64), expected 62 (x86-64)");
        yield return Case("PositionIndependent", s.With16(EType, 3), "x.elf", "ELF type is 3 (ET_DYN, position-independent: link with -no-pie), expected 2 (ET_EXEC)");
        yield return Case("ObjectFile", s.With16(EType, 1), "x.elf", "ELF type is 1 (ET_REL, an object file: link it first), expected 2 (ET_EXEC)");
        yield return Case("Version0", s.With32(EVersion, 0), "x.elf", "ELF version is 0, expected 1 (EV_CURRENT)");
        yield return Case("ProgramHeaderCutShort", s[..200], "x.elf", "x.elf: truncated: program header 2 ends at byte 232 of a 200-byte file");
        yield return Case("ProgramHeadersPastTheEnd", s.With64(EPhoff, ulong.MaxValue - 8), "x.elf",
            $"truncated: program header 0 ends at byte {(UInt128)ulong.MaxValue - 8 + 56} of a {len}-byte file");
        yield return Case("NoProgramHeaders", s.With16(EPhnum, 0), "x.elf", "x.elf: empty image: no program headers, so no PT_LOAD segment");
        yield return Case("ExtendedProgramHeaderCount", s.With16(EPhnum, 0xFFFF), "x.elf", "PN_XNUM");
        yield return Case("WrongProgramHeaderSize", s.With16(EPhentsize, 32), "x.elf", "program header entry size is 32, expected 56");
        yield return Case("NoLoadSegment",
            s.With32(Phdr(s, 0) + PType, 0).With32(Phdr(s, 1) + PType, 0).With32(Phdr(s, 2) + PType, 4), "x.elf",
            "x.elf: empty image: no PT_LOAD segment with a nonzero memory size");
        yield return Case("OnlyEmptyLoadSegments",
            s.With64(Phdr(s, 0) + PFilesz, 0).With64(Phdr(s, 0) + PMemsz, 0)
             .With64(Phdr(s, 1) + PFilesz, 0).With64(Phdr(s, 1) + PMemsz, 0).With64(Phdr(s, 2) + PMemsz, 0), "x.elf",
            "empty image: no PT_LOAD segment");
        yield return Case("FileSizeAboveMemorySize", s.With64(Phdr(s, 1) + PMemsz, 4), "x.elf",
            "x.elf: segment 1: file size 0xc is larger than its memory size 0x4 (p_filesz > p_memsz)");
        yield return Case("SegmentDataPastTheEnd", s.With64(Phdr(s, 0) + POffset, (ulong)len), "x.elf",
            $"x.elf: truncated: segment 0's data ends at byte {len + Code.Length} of a {len}-byte file");
        yield return Case("SegmentOffsetNearTheTopOfTheRange", s.With64(Phdr(s, 1) + POffset, ulong.MaxValue), "x.elf",
            "truncated: segment 1's data ends at byte");
        yield return Case("SegmentBelowOneMiB", Single(0x80000, 0x1000), "x.elf",
            "x.elf: segment 0 at 0x80000..0x81000 lies below 1 MiB (0x100000), which is reserved for the VMM's boot structures");
        yield return Case("SegmentPastUsableMemory", Single(0x3ff0000, 0x11000), "x.elf",
            $"x.elf: segment 0 at 0x3ff0000..0x4001000 lies outside usable guest memory, which ends at 0x{UsableEnd:x}");
        yield return Case("SegmentEndingPastTheAddressSpace", s.With64(Phdr(s, 2) + PMemsz, ulong.MaxValue), "x.elf",
            "x.elf: segment 2 at 0x200000..0x100000000001fffff lies outside usable guest memory");
        yield return Case("OverlappingSegments", s.With64(Phdr(s, 1) + PPaddr, CodeAddress + 4), "x.elf",
            "x.elf: segments 0 and 1 overlap at 0x100004..0x100008");
        yield return Case("SegmentNestedInAnother", s.With64(Phdr(s, 2) + PPaddr, DataAddress + 0x800), "x.elf",
            "x.elf: segments 1 and 2 overlap at 0x101800..0x103800");
        yield return Case("EntryOutsideEverySegment", s.With64(EEntry, 0x500000), "x.elf",
            "x.elf: entry point 0x500000 is not inside any loaded segment");
        yield return Case("SectionHeadersPastTheEnd", s.With64(EShoff, (ulong)len), "x.elf",
            $"x.elf: truncated: section header 0 ends at byte {len + 64} of a {len}-byte file");
        yield return Case("TooManySectionHeaders", s.With16(EShnum, 200), "x.elf", "truncated: the section header table ends at byte");
        yield return Case("WrongSectionHeaderSize", s.With16(EShentsize, 40), "x.elf", "section header entry size is 40, expected 64");
        yield return Case("SymbolTablePastTheEnd", s.With64(SymtabHeader + 32, 0x10000 * 24), "x.elf",
            "truncated: the symbol table (section 5) ends at byte");
        yield return Case("WrongSymbolSize", s.With64(SymtabHeader + 56, 16), "x.elf",
            "symbol table (section 5) entry size is 16, expected 24");
        yield return Case("SymbolTableLinkedToNothing", s.With32(SymtabHeader + 40, 0), "x.elf",
            "symbol table (section 5) links to section 0, which is not a string table");
        yield return Case("SymbolTableLinkedToItself", s.With32(SymtabHeader + 40, 5), "x.elf",
            "symbol table (section 5) links to section 5, which is not a string table");
        yield return Case("SymbolNameOutsideTheStrings",
            s.With32((int)BitConverter.ToUInt64(s, SymtabHeader + 24) + 24, 0x7FFF_FFFF), "x.elf",
            "symbol 1's name offset 2147483647 lies outside its");
        yield return Case("UnterminatedStringTable", UnterminatedStrings(s), "x.elf",
            "name runs off the end of its string table (section 6)");
    }

    [TestCaseSource(nameof(Cases))]
    public void IsRefusedWithAOneLineReason(byte[] bytes, string name, string expected)
    {
        var e = Assert.Throws<ImageFormatException>(() => ImageLoader.Parse(bytes, name, Options));
        Assert.That(e!.Message, Does.StartWith(name + ": "));
        Assert.That(e.Message, Does.Contain(expected));
        Assert.That(e.Message, Does.Not.Contain('\n'));
    }

    private static TestCaseData Case(string situation, byte[] bytes, string name, string expected) =>
        new TestCaseData(bytes, name, expected).SetName($"{nameof(IsRefusedWithAOneLineReason)}({situation})");

    // Shrinks .strtab by one byte, so the last symbol name loses its terminating NUL.
    private static byte[] UnterminatedStrings(byte[] s)
    {
        int strtab = Shdr(s, 6);
        ulong size = BitConverter.ToUInt64(s, strtab + 32);
        return s.With64(strtab + 32, size - 1);
    }
}

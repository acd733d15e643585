using System.Buffers.Binary;
using System.Text;

namespace HvBench.Vmm.Loaders;

/// <summary>Reads an ELF64 x86-64 <c>ET_EXEC</c> image, or an ELF32 i386 one that carries a multiboot v1 header
/// (<see cref="MultibootHeader"/>): program headers for the segments, <c>.symtab</c> for the names.</summary>
/// <remarks>
/// Hand-parsed with <see cref="BinaryPrimitives"/> rather than with ELFSharp (which only the tests
/// reference), for reasons measured on ELFSharp 2.17.3 with 5,000 seeded mutations of a writer
/// image: it threw nine different exception types (IndexOutOfRange, InvalidCast, Overflow,
/// EndOfStream, …); it allocates <c>p_filesz</c> bytes before checking them against the file, which
/// cost up to 2.8 s and 25 GB of allocation in total over the corpus; and it finds symbol names
/// through the section named <c>.strtab</c> instead of <c>sh_link</c>, giving "&lt;corrupt&gt;" for a
/// file readelf reads fine. To use it safely we would have to bounds-check every field it reads
/// first, which is the parsing itself; the tests use ELFSharp as an independent oracle on valid
/// files instead. Every offset is checked against the file length in 128-bit arithmetic before it
/// is used, so no input can overflow, read out of bounds or allocate more than the file's size.
/// Field offsets and constants are from the System V gABI ("ELF Header", "Program Header",
/// "Sections", "Symbol Table") and the x86-64 psABI.
/// </remarks>
internal static class ElfImageParser
{

    private const byte ElfClass32 = 1;
    private const byte ElfClass64 = 2;
    private const byte ElfData2Lsb = 1;
    private const byte ElfData2Msb = 2;
    private const byte EvCurrent = 1;
    private const ushort EtExec = 2;
    private const ushort EmX8664 = 62;
    private const ushort Em386 = 3;
    private const ushort PnXnum = 0xFFFF;
    private const uint PtLoad = 1;
    private const uint PfX = 1;
    private const uint ShtSymtab = 2;
    private const uint ShtStrtab = 3;
    private const ushort ShnUndef = 0;
    private const ushort ShnAbs = 0xFFF1;
    private const byte SttNotype = 0;
    private const byte SttObject = 1;
    private const byte SttFunc = 2;

    /// <summary>Parses and validates an ELF image; every problem becomes an <see cref="ImageFormatException"/>.</summary>
    public static GuestImage Parse(ReadOnlySpan<byte> file, string source, ImageLoadOptions options)
    {
        ElfLayout elf = ReadHeader(file, source, out ulong entry, out ulong phoff, out int phnum, out ulong shoff, out ushort shnum, out ushort shentsize);
        GuestImageFormat format = GuestImageFormat.Elf64;
        if (!elf.Is64)
        {
            // 32-bit code boots only the multiboot way (protected mode, EAX/EBX as the specification says).
            MultibootHeader.Find(file, source);
            format = GuestImageFormat.Multiboot;
        }

        var loaded = new List<(int Index, ImageSegment Segment)>();
        for (int i = 0; i < phnum; i++)
        {
            ReadOnlySpan<byte> ph = file.Slice((int)phoff + (i * elf.PhdrSize), elf.PhdrSize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(ph) != PtLoad)
            {
                continue;
            }

            uint flags = BinaryPrimitives.ReadUInt32LittleEndian(ph[elf.Pick(4, 24)..]);
            ulong offset = elf.Address(ph, 8, 4);
            ulong paddr = elf.Address(ph, 24, 12);
            ulong filesz = elf.Address(ph, 32, 16);
            ulong memsz = elf.Address(ph, 40, 20);
            if (filesz > memsz)
            {
                throw new ImageFormatException(source,
                    $"segment {i}: file size 0x{filesz:x} is larger than its memory size 0x{memsz:x} (p_filesz > p_memsz)");
            }

            if (memsz == 0)
            {
                // The gABI allows empty PT_LOAD entries; there is nothing to place.
                continue;
            }

            if (filesz > 0)
            {
                CheckInFile(file, offset, filesz, $"segment {i}'s data", source);
            }

            // GNU ld (2.31 and later, -z separate-code) maps the ELF headers in a read-only segment
            // one page below -Ttext, i.e. at 0xff000 for -Ttext=0x100000; say how to avoid that.
            string? hint = offset == 0 && filesz > 0 && (flags & PfX) == 0
                ? "; it maps the ELF headers, as GNU ld's first segment does: link with -Ttext-segment=0x100000 instead of -Ttext"
                : null;

            // guest-abi.md: segments are copied to p_paddr, not p_vaddr.
            ImageLoader.CheckRange($"segment {i}", paddr, memsz, source, options, hint);
            byte[] data = filesz == 0 ? [] : file.Slice((int)offset, (int)filesz).ToArray();
            loaded.Add((i, new ImageSegment(paddr, data, memsz, (flags & PfX) != 0)));
        }

        if (loaded.Count == 0)
        {
            throw new ImageFormatException(source, "empty image: no PT_LOAD segment with a nonzero memory size");
        }

        loaded.Sort(static (a, b) =>
        {
            int c = a.Segment.Gpa.CompareTo(b.Segment.Gpa);
            return c != 0 ? c : a.Index.CompareTo(b.Index);
        });

        // Sorted by start, a segment overlaps an earlier one exactly when it starts below the
        // furthest end seen so far; that catches a segment nested inside a long one too.
        int widest = 0;
        for (int k = 1; k < loaded.Count; k++)
        {
            ImageSegment previous = loaded[widest].Segment;
            ImageSegment current = loaded[k].Segment;
            if (current.Gpa < previous.End)
            {
                int first = Math.Min(loaded[widest].Index, loaded[k].Index);
                int second = Math.Max(loaded[widest].Index, loaded[k].Index);
                ulong overlapEnd = Math.Min(previous.End, current.End);
                throw new ImageFormatException(source, $"segments {first} and {second} overlap at 0x{current.Gpa:x}..0x{overlapEnd:x}");
            }

            if (current.End > previous.End)
            {
                widest = k;
            }
        }

        var segments = new ImageSegment[loaded.Count];
        bool entryInside = false;
        for (int k = 0; k < segments.Length; k++)
        {
            segments[k] = loaded[k].Segment;
            entryInside |= segments[k].Contains(entry);
        }

        // guest-abi.md does not require this, but an entry point outside every segment can only run
        // whatever the VMM left in RAM, so refusing it turns a puzzling fault into a clear message.
        // A non-executable segment is accepted: the boot page tables map all RAM executable.
        if (!entryInside)
        {
            throw new ImageFormatException(source, $"entry point 0x{entry:x} is not inside any loaded segment");
        }

        SymbolTable symbols = ReadSymbols(elf, file, shoff, shnum, shentsize, source);
        return new GuestImage(entry, segments, symbols, format, source);
    }

    private static ElfLayout ReadHeader(
        ReadOnlySpan<byte> f, string source,
        out ulong entry, out ulong phoff, out int phnum, out ulong shoff, out ushort shnum, out ushort shentsize)
    {
        if (f.Length < 4 || f[0] != 0x7F || f[1] != (byte)'E' || f[2] != (byte)'L' || f[3] != (byte)'F')
        {
            throw ImageLoader.NotElf(source);
        }

        // e_ident is checked byte by byte before the length, so that a short 32-bit file is called
        // 32-bit rather than truncated.
        if (f.Length > 4 && f[4] is not (ElfClass64 or ElfClass32))
        {
            throw new ImageFormatException(source, $"ELF class is {f[4]} (invalid), expected 2 (ELFCLASS64) or 1 (ELFCLASS32, multiboot)");
        }

        var elf = new ElfLayout(Is64: f.Length <= 4 || f[4] == ElfClass64);

        if (f.Length > 5 && f[5] != ElfData2Lsb)
        {
            string what = f[5] == ElfData2Msb ? "2 (ELFDATA2MSB, big-endian)" : $"{f[5]} (invalid)";
            throw new ImageFormatException(source, $"ELF data encoding is {what}, expected 1 (ELFDATA2LSB): not a little-endian image");
        }

        if (f.Length > 6 && f[6] != EvCurrent)
        {
            throw new ImageFormatException(source, $"ELF identification version is {f[6]}, expected 1 (EV_CURRENT)");
        }

        if (f.Length < elf.EhdrSize)
        {
            throw Truncated(source, "the ELF header", (ulong)elf.EhdrSize, f.Length);
        }

        ushort type = BinaryPrimitives.ReadUInt16LittleEndian(f[16..]);
        if (type != EtExec)
        {
            throw new ImageFormatException(source, $"ELF type is {type} ({TypeName(type)}), expected 2 (ET_EXEC)");
        }

        ushort machine = BinaryPrimitives.ReadUInt16LittleEndian(f[18..]);
        if (machine != (elf.Is64 ? EmX8664 : Em386))
        {
            string expected = elf.Is64 ? "62 (x86-64)" : "3 (EM_386) for a 32-bit image";
            throw new ImageFormatException(source, $"ELF machine is {machine} ({MachineName(machine)}), expected {expected}");
        }

        uint version = BinaryPrimitives.ReadUInt32LittleEndian(f[20..]);
        if (version != EvCurrent)
        {
            throw new ImageFormatException(source, $"ELF version is {version}, expected 1 (EV_CURRENT)");
        }

        entry = elf.Address(f, 24, 24);
        phoff = elf.Address(f, 32, 28);
        shoff = elf.Address(f, 40, 32);
        ushort phentsize = BinaryPrimitives.ReadUInt16LittleEndian(f[elf.Pick(54, 42)..]);
        phnum = BinaryPrimitives.ReadUInt16LittleEndian(f[elf.Pick(56, 44)..]);
        shentsize = BinaryPrimitives.ReadUInt16LittleEndian(f[elf.Pick(58, 46)..]);
        shnum = BinaryPrimitives.ReadUInt16LittleEndian(f[elf.Pick(60, 48)..]);

        if (phnum == 0)
        {
            throw new ImageFormatException(source, "empty image: no program headers, so no PT_LOAD segment");
        }

        if (phnum == PnXnum)
        {
            throw new ImageFormatException(source, "e_phnum is 0xffff (PN_XNUM: the count is in section 0), which is not supported");
        }

        if (phentsize != elf.PhdrSize)
        {
            throw new ImageFormatException(source, $"program header entry size is {phentsize}, expected {elf.PhdrSize}");
        }

        for (int i = 0; i < phnum; i++)
        {
            UInt128 end = (UInt128)phoff + ((UInt128)(uint)(i + 1) * (uint)elf.PhdrSize);
            if (end > (ulong)f.Length)
            {
                throw Truncated(source, $"program header {i}", end, f.Length);
            }
        }

        return elf;
    }

    private static SymbolTable ReadSymbols(ElfLayout elf, ReadOnlySpan<byte> f, ulong shoff, ushort shnum, ushort shentsize, string source)
    {
        // No section header table, as in a stripped file: no names, which is allowed.
        if (shoff == 0 || (shnum == 0 && shentsize == 0))
        {
            return SymbolTable.Empty;
        }

        if (shentsize != elf.ShdrSize)
        {
            throw new ImageFormatException(source, $"section header entry size is {shentsize}, expected {elf.ShdrSize}");
        }

        CheckInFile(f, shoff, (ulong)elf.ShdrSize, "section header 0", source);
        ulong count = shnum;
        if (count == 0)
        {
            // gABI extended numbering: with e_shnum = 0, section 0's sh_size holds the count.
            count = elf.Address(f[(int)shoff..], 32, 20);
            if (count == 0)
            {
                return SymbolTable.Empty;
            }
        }

        CheckInFile(f, shoff, (UInt128)count * (uint)elf.ShdrSize, "the section header table", source);

        // The gABI allows at most one SHT_SYMTAB; it is found by type, as readelf does, not by name.
        int symtab = -1;
        for (int i = 0; i < (int)count; i++)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(Section(elf, f, shoff, i)[4..]) == ShtSymtab)
            {
                symtab = i;
                break;
            }
        }

        if (symtab < 0)
        {
            return SymbolTable.Empty;
        }

        ReadOnlySpan<byte> sh = Section(elf, f, shoff, symtab);
        ulong symOffset = elf.Address(sh, 24, 16);
        ulong symSize = elf.Address(sh, 32, 20);
        uint link = BinaryPrimitives.ReadUInt32LittleEndian(sh[elf.Pick(40, 24)..]);
        ulong entsize = elf.Address(sh, 56, 36);
        int symEntrySize = elf.SymSize;
        if (entsize != (ulong)symEntrySize)
        {
            throw new ImageFormatException(source, $"symbol table (section {symtab}) entry size is {entsize}, expected {symEntrySize}");
        }

        CheckInFile(f, symOffset, symSize, $"the symbol table (section {symtab})", source);
        if (link == 0 || link >= count
            || BinaryPrimitives.ReadUInt32LittleEndian(Section(elf, f, shoff, (int)link)[4..]) != ShtStrtab)
        {
            throw new ImageFormatException(source, $"symbol table (section {symtab}) links to section {link}, which is not a string table");
        }

        ReadOnlySpan<byte> strSh = Section(elf, f, shoff, (int)link);
        ulong strOffset = elf.Address(strSh, 24, 16);
        ulong strSize = elf.Address(strSh, 32, 20);
        CheckInFile(f, strOffset, strSize, $"the string table (section {link})", source);
        ReadOnlySpan<byte> strings = f.Slice((int)strOffset, (int)strSize);
        ReadOnlySpan<byte> entries = f.Slice((int)symOffset, (int)symSize);

        var symbols = new List<ImageSymbol>();
        for (int j = 1; j < entries.Length / symEntrySize; j++)
        {
            ReadOnlySpan<byte> e = entries.Slice(j * symEntrySize, symEntrySize);
            uint nameIndex = BinaryPrimitives.ReadUInt32LittleEndian(e);
            byte type = (byte)(e[elf.Pick(4, 12)] & 0xF);
            ushort shndx = BinaryPrimitives.ReadUInt16LittleEndian(e[elf.Pick(6, 14)..]);
            ulong value = elf.Address(e, 8, 4);
            ulong size = elf.Address(e, 16, 8);

            // Only things that name guest addresses: not sections, files, undefined references or absolute values
            // (GNU as `.set` constants such as an MSR number would otherwise name a stray RIP).
            if (type is not (SttNotype or SttObject or SttFunc) || value == 0 || shndx is ShnUndef or ShnAbs)
            {
                continue;
            }

            if (nameIndex >= (uint)strings.Length)
            {
                throw new ImageFormatException(source,
                    $"symbol {j}'s name offset {nameIndex} lies outside its {strings.Length}-byte string table (section {link})");
            }

            ReadOnlySpan<byte> rest = strings[(int)nameIndex..];
            int length = rest.IndexOf((byte)0);
            if (length < 0)
            {
                throw new ImageFormatException(source, $"symbol {j}'s name runs off the end of its string table (section {link})");
            }

            if (length == 0)
            {
                continue;
            }

            ImageSymbolKind kind = type switch
            {
                SttFunc => ImageSymbolKind.Function,
                SttObject => ImageSymbolKind.Object,
                _ => ImageSymbolKind.NoType,
            };

            // Invalid UTF-8 becomes U+FFFD rather than an exception.
            symbols.Add(new ImageSymbol(Encoding.UTF8.GetString(rest[..length]), value, size, kind));
        }

        return new SymbolTable(symbols);
    }

    private static ReadOnlySpan<byte> Section(ElfLayout elf, ReadOnlySpan<byte> f, ulong shoff, int index) =>
        f.Slice((int)shoff + (index * elf.ShdrSize), elf.ShdrSize);

    /// <summary>Where ELF64 and ELF32 differ: structure sizes, and fields that are 8 bytes in one and 4 in the other
    /// at different offsets (gABI "ELF Header", "Program Header", "Sections", "Symbol Table").</summary>
    private readonly record struct ElfLayout(bool Is64)
    {
        public int EhdrSize => Is64 ? 64 : 52;

        public int PhdrSize => Is64 ? 56 : 32;

        public int ShdrSize => Is64 ? 64 : 40;

        public int SymSize => Is64 ? 24 : 16;

        /// <summary>The field's offset in this class.</summary>
        public int Pick(int offset64, int offset32) => Is64 ? offset64 : offset32;

        /// <summary>An address, offset or size field: 8 bytes in ELF64, 4 in ELF32.</summary>
        public ulong Address(ReadOnlySpan<byte> structure, int offset64, int offset32) => Is64
            ? BinaryPrimitives.ReadUInt64LittleEndian(structure[offset64..])
            : BinaryPrimitives.ReadUInt32LittleEndian(structure[offset32..]);
    }

    private static void CheckInFile(ReadOnlySpan<byte> f, ulong offset, UInt128 size, string what, string source)
    {
        UInt128 end = offset + size;
        if (end > (ulong)f.Length)
        {
            throw Truncated(source, what, end, f.Length);
        }
    }

    private static ImageFormatException Truncated(string source, string what, UInt128 end, int length) =>
        new(source, $"truncated: {what} ends at byte {end} of a {length}-byte file");

    private static string TypeName(ushort type) => type switch
    {
        0 => "ET_NONE",
        1 => "ET_REL, an object file: link it first",
        3 => "ET_DYN, position-independent: link with -no-pie",
        4 => "ET_CORE",
        _ => "unknown",
    };

    private static string MachineName(ushort machine) => machine switch
    {
        0 => "EM_NONE",
        3 => "EM_386",
        8 => "EM_MIPS",
        20 => "EM_PPC",
        21 => "EM_PPC64",
        40 => "EM_ARM",
        62 => "EM_X86_64",
        183 => "EM_AARCH64",
        243 => "EM_RISCV",
        _ => "unknown",
    };
}

using System.Buffers.Binary;
using System.Text;

namespace HvBench.Guest.Elf;

/// <summary>
/// Writes guest images as ELF64 little-endian x86-64 <c>ET_EXEC</c> files (guest-abi.md, "Images"):
/// one <c>PT_LOAD</c> per segment with <c>p_paddr</c> = <c>p_vaddr</c>, plus section headers and a
/// <c>.symtab</c> so that <c>readelf</c>, <c>objdump -d</c> and the VMM's fault reports can name addresses.
/// </summary>
/// <remarks>
/// The output depends only on the arguments: segments and symbols are sorted, nothing is timestamped,
/// and every padding byte is zero, so images checked in under images/ can be rebuilt and compared byte
/// for byte. It writes no relocations, dynamic sections, notes or debug information.
/// </remarks>
public static class ElfImageWriter
{
    private const int EhdrSize = 64;
    private const int PhdrSize = 56;
    private const int ShdrSize = 64;
    private const int SymSize = 24;

    // p_align of every PT_LOAD. Our own loader copies bytes and would accept 1, but 0x1000 with
    // page-congruent file offsets (p_offset % 0x1000 == p_vaddr % 0x1000) is what GNU ld emits, so
    // any tool that maps segments page by page (gdb, QEMU's ELF loader, a future mmap-based loader)
    // takes our images as it takes linker output. The price is at most one page of zero padding per
    // segment, which is nothing for test guests.
    private const ulong SegmentAlignment = 0x1000;

    private const ushort EtExec = 2;
    private const ushort EmX8664 = 62;
    private const uint PtLoad = 1;
    private const uint ShtProgbits = 1;
    private const uint ShtSymtab = 2;
    private const uint ShtStrtab = 3;
    private const uint ShtNobits = 8;
    private const ulong ShfWrite = 1;
    private const ulong ShfAlloc = 2;
    private const ulong ShfExecinstr = 4;
    private const ushort ShnAbs = 0xFFF1;
    private const ushort ShnLoreserve = 0xFF00;
    private const ushort PnXnum = 0xFFFF;
    private const byte StbGlobal = 1;
    private const byte SttObject = 1;
    private const byte SttFunc = 2;

    /// <summary>Builds the image bytes; the same arguments always give the same bytes, whatever their order.</summary>
    /// <param name="entryPoint">Guest address where every VP starts (<c>e_entry</c>).</param>
    /// <param name="segments">Loadable segments; they must not overlap and at least one is required.</param>
    /// <param name="symbols">Symbols for <c>.symtab</c>; may be empty.</param>
    /// <returns>The complete ELF file.</returns>
    /// <exception cref="ArgumentException">Segments overlap, there are none or too many, or a symbol name is empty or contains NUL.</exception>
    public static byte[] Write(ulong entryPoint, IReadOnlyList<ElfSegment> segments, IReadOnlyList<ElfSymbol> symbols)
    {
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(symbols);

        ElfSegment[] segs = SortAndCheckSegments(segments);
        ElfSymbol[] syms = SortAndCheckSymbols(symbols);

        // File layout: ELF header, program headers, segment bytes (page-congruent), .symtab,
        // .strtab, .shstrtab, section headers. Offsets are computed first, bytes written after.
        ulong offset = EhdrSize + ((ulong)segs.Length * PhdrSize);
        var segmentOffsets = new ulong[segs.Length];
        for (int i = 0; i < segs.Length; i++)
        {
            offset = AlignCongruent(offset, segs[i].Address);
            segmentOffsets[i] = offset;
            offset += (ulong)segs[i].Data.Length;
        }

        var sections = new List<Section> { default };
        var usedNames = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < segs.Length; i++)
        {
            ElfSegment s = segs[i];
            ulong flags = ShfAlloc
                | ((s.Flags & ElfSegmentFlags.Write) != 0 ? ShfWrite : 0)
                | ((s.Flags & ElfSegmentFlags.Execute) != 0 ? ShfExecinstr : 0);
            ulong fileSize = (ulong)s.Data.Length;
            if (fileSize > 0)
            {
                string name = UniqueName(s.SectionName ?? DefaultSectionName(s.Flags), usedNames);
                sections.Add(new Section(name, ShtProgbits, flags, s.Address, segmentOffsets[i], fileSize, 0, 0, AddressAlignment(s.Address), 0));
            }

            if (s.MemorySize > fileSize)
            {
                // The zero-filled tail gets a NOBITS section, as a linker's .bss does, so that section
                // listings account for every byte of the segment.
                ulong address = s.Address + fileSize;
                string name = UniqueName(fileSize == 0 && s.SectionName is not null ? s.SectionName : ".bss", usedNames);
                sections.Add(new Section(name, ShtNobits, flags, address, segmentOffsets[i] + fileSize, s.MemorySize - fileSize, 0, 0, AddressAlignment(address), 0));
            }
        }

        int allocatedSections = sections.Count;
        int symtabIndex = sections.Count;
        int strtabIndex = symtabIndex + 1;
        int shstrtabIndex = symtabIndex + 2;
        if (shstrtabIndex + 1 >= ShnLoreserve)
        {
            throw new ArgumentException($"too many segments: {shstrtabIndex + 1} sections do not fit in e_shnum", nameof(segments));
        }

        var strtab = new StringTableBuilder();
        var symbolNameOffsets = new uint[syms.Length];
        var symbolSections = new ushort[syms.Length];
        for (int i = 0; i < syms.Length; i++)
        {
            symbolNameOffsets[i] = strtab.Add(syms[i].Name);
            symbolSections[i] = SectionIndexOf(syms[i].Address, sections, allocatedSections);
        }

        offset = AlignUp(offset, 8);
        ulong symtabOffset = offset;
        ulong symtabSize = (ulong)(syms.Length + 1) * SymSize;
        offset += symtabSize;
        ulong strtabOffset = offset;
        byte[] strtabBytes = strtab.ToArray();
        offset += (ulong)strtabBytes.Length;

        // .symtab's sh_info is one past the last local symbol; only the null symbol is local.
        sections.Add(new Section(".symtab", ShtSymtab, 0, 0, symtabOffset, symtabSize, (uint)strtabIndex, 1, 8, SymSize));
        sections.Add(new Section(".strtab", ShtStrtab, 0, 0, strtabOffset, (ulong)strtabBytes.Length, 0, 0, 1, 0));

        var shstrtab = new StringTableBuilder();
        var sectionNameOffsets = new uint[sections.Count + 1];
        for (int i = 1; i < sections.Count; i++)
        {
            sectionNameOffsets[i] = shstrtab.Add(sections[i].Name);
        }

        sectionNameOffsets[shstrtabIndex] = shstrtab.Add(".shstrtab");
        byte[] shstrtabBytes = shstrtab.ToArray();
        ulong shstrtabOffset = offset;
        offset += (ulong)shstrtabBytes.Length;
        sections.Add(new Section(".shstrtab", ShtStrtab, 0, 0, shstrtabOffset, (ulong)shstrtabBytes.Length, 0, 0, 1, 0));

        offset = AlignUp(offset, 8);
        ulong shoff = offset;
        offset += (ulong)sections.Count * ShdrSize;
        if (offset > (ulong)Array.MaxLength)
        {
            throw new ArgumentException($"image would be {offset} bytes, more than a byte array can hold", nameof(segments));
        }

        var file = new byte[offset];
        Span<byte> f = file;

        // ELF header (System V gABI, "ELF Header"): e_ident, then the fixed fields.
        f[0] = 0x7F;
        f[1] = (byte)'E';
        f[2] = (byte)'L';
        f[3] = (byte)'F';
        f[4] = 2; // EI_CLASS = ELFCLASS64
        f[5] = 1; // EI_DATA = ELFDATA2LSB
        f[6] = 1; // EI_VERSION = EV_CURRENT
        f[7] = 0; // EI_OSABI = ELFOSABI_NONE; bytes 8..15 (ABI version, padding) stay zero
        BinaryPrimitives.WriteUInt16LittleEndian(f[16..], EtExec);
        BinaryPrimitives.WriteUInt16LittleEndian(f[18..], EmX8664);
        BinaryPrimitives.WriteUInt32LittleEndian(f[20..], 1); // e_version = EV_CURRENT
        BinaryPrimitives.WriteUInt64LittleEndian(f[24..], entryPoint);
        BinaryPrimitives.WriteUInt64LittleEndian(f[32..], EhdrSize); // e_phoff
        BinaryPrimitives.WriteUInt64LittleEndian(f[40..], shoff);
        BinaryPrimitives.WriteUInt32LittleEndian(f[48..], 0); // e_flags
        BinaryPrimitives.WriteUInt16LittleEndian(f[52..], EhdrSize);
        BinaryPrimitives.WriteUInt16LittleEndian(f[54..], PhdrSize);
        BinaryPrimitives.WriteUInt16LittleEndian(f[56..], (ushort)segs.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(f[58..], ShdrSize);
        BinaryPrimitives.WriteUInt16LittleEndian(f[60..], (ushort)sections.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(f[62..], (ushort)shstrtabIndex);

        for (int i = 0; i < segs.Length; i++)
        {
            ElfSegment s = segs[i];
            Span<byte> ph = f.Slice(EhdrSize + (i * PhdrSize), PhdrSize);
            BinaryPrimitives.WriteUInt32LittleEndian(ph, PtLoad);
            BinaryPrimitives.WriteUInt32LittleEndian(ph[4..], (uint)s.Flags);
            BinaryPrimitives.WriteUInt64LittleEndian(ph[8..], segmentOffsets[i]);
            BinaryPrimitives.WriteUInt64LittleEndian(ph[16..], s.Address); // p_vaddr
            BinaryPrimitives.WriteUInt64LittleEndian(ph[24..], s.Address); // p_paddr: where the VMM loads it
            BinaryPrimitives.WriteUInt64LittleEndian(ph[32..], (ulong)s.Data.Length);
            BinaryPrimitives.WriteUInt64LittleEndian(ph[40..], s.MemorySize);
            BinaryPrimitives.WriteUInt64LittleEndian(ph[48..], SegmentAlignment);
            s.Data.Span.CopyTo(f[(int)segmentOffsets[i]..]);
        }

        // Symbol 0 is the reserved null symbol and stays all zero.
        for (int i = 0; i < syms.Length; i++)
        {
            ElfSymbol sym = syms[i];
            Span<byte> e = f.Slice((int)symtabOffset + ((i + 1) * SymSize), SymSize);
            BinaryPrimitives.WriteUInt32LittleEndian(e, symbolNameOffsets[i]);
            e[4] = (byte)((StbGlobal << 4) | (sym.Kind == ElfSymbolKind.Function ? SttFunc : SttObject));
            e[5] = 0; // st_other = STV_DEFAULT
            BinaryPrimitives.WriteUInt16LittleEndian(e[6..], symbolSections[i]);
            BinaryPrimitives.WriteUInt64LittleEndian(e[8..], sym.Address);
            BinaryPrimitives.WriteUInt64LittleEndian(e[16..], sym.Size);
        }

        strtabBytes.CopyTo(f[(int)strtabOffset..]);
        shstrtabBytes.CopyTo(f[(int)shstrtabOffset..]);

        for (int i = 1; i < sections.Count; i++)
        {
            Section s = sections[i];
            Span<byte> sh = f.Slice((int)shoff + (i * ShdrSize), ShdrSize);
            BinaryPrimitives.WriteUInt32LittleEndian(sh, sectionNameOffsets[i]);
            BinaryPrimitives.WriteUInt32LittleEndian(sh[4..], s.Type);
            BinaryPrimitives.WriteUInt64LittleEndian(sh[8..], s.Flags);
            BinaryPrimitives.WriteUInt64LittleEndian(sh[16..], s.Address);
            BinaryPrimitives.WriteUInt64LittleEndian(sh[24..], s.Offset);
            BinaryPrimitives.WriteUInt64LittleEndian(sh[32..], s.Size);
            BinaryPrimitives.WriteUInt32LittleEndian(sh[40..], s.Link);
            BinaryPrimitives.WriteUInt32LittleEndian(sh[44..], s.Info);
            BinaryPrimitives.WriteUInt64LittleEndian(sh[48..], s.AddressAlignment);
            BinaryPrimitives.WriteUInt64LittleEndian(sh[56..], s.EntrySize);
        }

        return file;
    }

    private static ElfSegment[] SortAndCheckSegments(IReadOnlyList<ElfSegment> segments)
    {
        if (segments.Count == 0)
        {
            throw new ArgumentException("an image needs at least one segment", nameof(segments));
        }

        if (segments.Count >= PnXnum)
        {
            throw new ArgumentException($"{segments.Count} segments do not fit in e_phnum", nameof(segments));
        }

        var segs = new ElfSegment[segments.Count];
        for (int i = 0; i < segs.Length; i++)
        {
            segs[i] = segments[i] ?? throw new ArgumentException($"segment {i} is null", nameof(segments));
        }

        // gABI: "loadable segment entries in the program header table appear in ascending order,
        // sorted on the p_vaddr member". Sorting also makes the output independent of input order.
        Array.Sort(segs, static (a, b) => a.Address.CompareTo(b.Address));
        for (int i = 1; i < segs.Length; i++)
        {
            if (segs[i].Address < segs[i - 1].End)
            {
                throw new ArgumentException(
                    $"segments at 0x{segs[i - 1].Address:x} and 0x{segs[i].Address:x} overlap", nameof(segments));
            }
        }

        return segs;
    }

    private static ElfSymbol[] SortAndCheckSymbols(IReadOnlyList<ElfSymbol> symbols)
    {
        var syms = new ElfSymbol[symbols.Count];
        for (int i = 0; i < syms.Length; i++)
        {
            ElfSymbol s = symbols[i];
            if (string.IsNullOrEmpty(s.Name) || s.Name.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException($"symbol {i} has an empty name or one containing NUL", nameof(symbols));
            }

            if (s.Kind is not (ElfSymbolKind.Function or ElfSymbolKind.Object))
            {
                throw new ArgumentException($"symbol {s.Name} has an unknown kind {(int)s.Kind}", nameof(symbols));
            }

            syms[i] = s;
        }

        // A total order on every field, so equal inputs in any order give equal bytes.
        Array.Sort(syms, static (a, b) =>
        {
            int c = a.Address.CompareTo(b.Address);
            if (c == 0)
            {
                c = string.CompareOrdinal(a.Name, b.Name);
            }

            if (c == 0)
            {
                c = a.Size.CompareTo(b.Size);
            }

            return c != 0 ? c : a.Kind.CompareTo(b.Kind);
        });
        return syms;
    }

    private static string DefaultSectionName(ElfSegmentFlags flags) =>
        (flags & ElfSegmentFlags.Execute) != 0 ? ".text"
        : (flags & ElfSegmentFlags.Write) != 0 ? ".data"
        : ".rodata";

    // Two code segments both called .text would make objdump's output ambiguous, so later ones get
    // a numeric suffix (.text.1, .text.2), in address order.
    private static string UniqueName(string name, HashSet<string> used)
    {
        string candidate = name;
        for (int n = 1; !used.Add(candidate); n++)
        {
            candidate = $"{name}.{n}";
        }

        return candidate;
    }

    private static ushort SectionIndexOf(ulong address, List<Section> sections, int count)
    {
        for (int i = 1; i < count; i++)
        {
            Section s = sections[i];
            if (address >= s.Address && (UInt128)address < (UInt128)s.Address + s.Size)
            {
                return (ushort)i;
            }
        }

        // Outside every section (e.g. a label just past the end of the code): an absolute symbol.
        return ShnAbs;
    }

    // The largest power of two (up to a page) that divides the address: true, and it makes
    // readelf's "Al" column look like a linker's.
    private static ulong AddressAlignment(ulong address) =>
        address == 0 ? SegmentAlignment : Math.Min(SegmentAlignment, address & (~address + 1));

    private static ulong AlignUp(ulong value, ulong alignment) => (value + alignment - 1) & ~(alignment - 1);

    private static ulong AlignCongruent(ulong offset, ulong address)
    {
        ulong want = address % SegmentAlignment;
        ulong have = offset % SegmentAlignment;
        return offset + ((want - have + SegmentAlignment) % SegmentAlignment);
    }

    private readonly record struct Section(
        string Name, uint Type, ulong Flags, ulong Address, ulong Offset, ulong Size,
        uint Link, uint Info, ulong AddressAlignment, ulong EntrySize);

    /// <summary>Builds an ELF string table: a leading NUL, then each distinct name once, NUL-terminated, in first-use order.</summary>
    private sealed class StringTableBuilder
    {
        private readonly MemoryStream _bytes = new();
        private readonly Dictionary<string, uint> _offsets = new(StringComparer.Ordinal);

        public StringTableBuilder() => _bytes.WriteByte(0);

        public uint Add(string name)
        {
            if (!_offsets.TryGetValue(name, out uint offset))
            {
                offset = (uint)_bytes.Length;
                _bytes.Write(Encoding.UTF8.GetBytes(name));
                _bytes.WriteByte(0);
                _offsets.Add(name, offset);
            }

            return offset;
        }

        public byte[] ToArray() => _bytes.ToArray();
    }
}

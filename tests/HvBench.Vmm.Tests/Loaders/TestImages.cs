using System.Buffers.Binary;
using HvBench.Guest.Elf;
using HvBench.Vmm.Loaders;

namespace HvBench.Vmm.Tests.Loaders;

/// <summary>Small images built with the guest's ELF writer, plus helpers to damage them field by field.</summary>
internal static class TestImages
{
    /// <summary>64 MiB of RAM less four 64 KiB VP stacks, as the machine would pass it.</summary>
    public const ulong UsableEnd = (64UL << 20) - (4 * 0x10000);

    public const ulong CodeAddress = 0x100000;
    public const ulong DataAddress = 0x101000;
    public const ulong BssAddress = 0x200000;

    // ELF64 field offsets (System V gABI), for the tests that overwrite fields.
    public const int EType = 16;
    public const int EMachine = 18;
    public const int EVersion = 20;
    public const int EEntry = 24;
    public const int EPhoff = 32;
    public const int EShoff = 40;
    public const int EPhentsize = 54;
    public const int EPhnum = 56;
    public const int EShentsize = 58;
    public const int EShnum = 60;
    public const int PhdrSize = 56;
    public const int PType = 0;
    public const int POffset = 8;
    public const int PVaddr = 16;
    public const int PPaddr = 24;
    public const int PFilesz = 32;
    public const int PMemsz = 40;
    public const int ShdrSize = 64;

    /// <summary>xor eax,eax; out 0xE9,al; hlt; jmp $-3; nop: real code, so objdump has something to show.</summary>
    public static readonly byte[] Code = [0x31, 0xC0, 0xE6, 0xE9, 0xF4, 0xEB, 0xFD, 0x90];

    public static readonly byte[] Data = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

    public static ImageLoadOptions Options { get; } = new() { HighestAddress = UsableEnd };

    public static ElfSegment[] SampleSegments() =>
    [
        new ElfSegment(CodeAddress, Code, (ulong)Code.Length, ElfSegmentFlags.ReadExecute),
        new ElfSegment(DataAddress, Data, 0x3000, ElfSegmentFlags.ReadWrite),
        new ElfSegment(BssAddress, ReadOnlySpan<byte>.Empty, 0x2000, ElfSegmentFlags.ReadWrite),
    ];

    public static ElfSymbol[] SampleSymbols() =>
    [
        new ElfSymbol("_start", CodeAddress, 5, ElfSymbolKind.Function),
        new ElfSymbol("spin", CodeAddress + 5, 0, ElfSymbolKind.Function),
        new ElfSymbol("table", DataAddress, 12, ElfSymbolKind.Object),
        new ElfSymbol("results", DataAddress + 12, 0x100, ElfSymbolKind.Object),
        new ElfSymbol("stacks", BssAddress, 0x2000, ElfSymbolKind.Object),
    ];

    /// <summary>Three segments (code, data with a zero-filled tail, pure zero-fill) and five symbols.</summary>
    public static byte[] Sample() => ElfImageWriter.Write(CodeAddress, SampleSegments(), SampleSymbols());

    /// <summary>A one-segment image at <paramref name="address"/> of <paramref name="memorySize"/> bytes, entry at its start.</summary>
    public static byte[] Single(ulong address, ulong memorySize) =>
        ElfImageWriter.Write(address, [new ElfSegment(address, Code, memorySize, ElfSegmentFlags.ReadExecute)], []);

    public static GuestImage Parse(byte[] bytes, string name = "x.elf") => ImageLoader.Parse(bytes, name, Options);

    public static int Phdr(byte[] image, int index) => (int)BinaryPrimitives.ReadUInt64LittleEndian(image.AsSpan(EPhoff)) + (index * PhdrSize);

    public static int Shdr(byte[] image, int index) => (int)BinaryPrimitives.ReadUInt64LittleEndian(image.AsSpan(EShoff)) + (index * ShdrSize);

    /// <summary>Index of the first section header of the given <c>sh_type</c>.</summary>
    public static int SectionOfType(byte[] image, uint type)
    {
        int count = BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(EShnum));
        for (int i = 0; i < count; i++)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(Shdr(image, i) + 4)) == type)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"no section of type {type}");
    }

    public static byte[] With16(this byte[] image, int offset, ushort value)
    {
        byte[] copy = (byte[])image.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(offset), value);
        return copy;
    }

    public static byte[] With32(this byte[] image, int offset, uint value)
    {
        byte[] copy = (byte[])image.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(offset), value);
        return copy;
    }

    public static byte[] With64(this byte[] image, int offset, ulong value)
    {
        byte[] copy = (byte[])image.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(copy.AsSpan(offset), value);
        return copy;
    }

    public static byte[] WithByte(this byte[] image, int offset, byte value)
    {
        byte[] copy = (byte[])image.Clone();
        copy[offset] = value;
        return copy;
    }

    /// <summary>Parses and sorts the outcome into "loaded", "refused" (with a well-formed message) or a description of what went wrong.</summary>
    public static string? CheckOutcome(byte[] bytes, string name, out bool loaded)
    {
        loaded = false;
        GuestImage image;
        try
        {
            image = ImageLoader.Parse(bytes, name, Options);
        }
        catch (ImageFormatException e)
        {
            if (!e.Message.StartsWith(name + ": ", StringComparison.Ordinal) || e.Message.Any(char.IsControl))
            {
                return $"badly formed message: {e.Message}";
            }

            return null;
        }
        catch (Exception e)
        {
            return $"{e.GetType().Name}: {e.Message}";
        }

        loaded = true;
        return CheckInvariants(image);
    }

    /// <summary>What every image the loader accepts must satisfy, whatever its bytes were.</summary>
    public static string? CheckInvariants(GuestImage image)
    {
        if (image.Segments.Count == 0)
        {
            return "loaded with no segments";
        }

        bool entryInside = false;
        for (int i = 0; i < image.Segments.Count; i++)
        {
            ImageSegment s = image.Segments[i];
            if (s.Gpa < Options.LowestAddress || s.End > Options.HighestAddress || (ulong)s.Data.Length > s.MemorySize || s.MemorySize == 0)
            {
                return $"segment {i} at 0x{s.Gpa:x}..0x{s.End:x} (data {s.Data.Length}) escaped the range checks";
            }

            if (i > 0 && s.Gpa < image.Segments[i - 1].End)
            {
                return $"segments at 0x{image.Segments[i - 1].Gpa:x} and 0x{s.Gpa:x} overlap";
            }

            entryInside |= s.Contains(image.Entry);
        }

        return entryInside ? null : $"entry 0x{image.Entry:x} outside every segment";
    }
}

namespace HvBench.Guest.Elf;

/// <summary>One loadable segment (<c>PT_LOAD</c>) of an image: bytes placed at a guest address, padded with zeros up to its memory size.</summary>
public sealed class ElfSegment
{
    /// <summary>Creates a segment; <paramref name="data"/> is copied so later changes to the caller's array cannot change the image.</summary>
    /// <param name="address">Guest address of the first byte; written as both <c>p_vaddr</c> and <c>p_paddr</c>.</param>
    /// <param name="data">Bytes stored in the file (<c>p_filesz</c> bytes).</param>
    /// <param name="memorySize">Bytes occupied in guest memory (<c>p_memsz</c>); at least the data length, the rest is zero-filled.</param>
    /// <param name="flags">Access rights, written as <c>p_flags</c>.</param>
    /// <param name="sectionName">Name of the section that covers the data, e.g. <c>.text</c>; null picks one from the flags.</param>
    public ElfSegment(ulong address, ReadOnlySpan<byte> data, ulong memorySize, ElfSegmentFlags flags, string? sectionName = null)
    {
        if (memorySize < (ulong)data.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(memorySize), memorySize, $"memory size is smaller than the {data.Length} data bytes");
        }

        if (memorySize == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(memorySize), memorySize, "a segment must occupy at least one byte");
        }

        if (memorySize - 1 > ulong.MaxValue - address)
        {
            throw new ArgumentOutOfRangeException(nameof(memorySize), memorySize, $"segment at 0x{address:x} wraps past the end of the address space");
        }

        if (sectionName is not null && (sectionName.Length == 0 || sectionName.Contains('\0', StringComparison.Ordinal)))
        {
            throw new ArgumentException("section name must be non-empty and contain no NUL character", nameof(sectionName));
        }

        Address = address;
        Data = data.ToArray();
        MemorySize = memorySize;
        Flags = flags;
        SectionName = sectionName;
    }

    /// <summary>Guest address of the first byte (virtual = physical).</summary>
    public ulong Address { get; }

    /// <summary>Bytes stored in the file.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Bytes occupied in guest memory, at least <see cref="Data"/>'s length.</summary>
    public ulong MemorySize { get; }

    /// <summary>Access rights (<c>p_flags</c>).</summary>
    public ElfSegmentFlags Flags { get; }

    /// <summary>Section name for the data, or null to derive it from <see cref="Flags"/>.</summary>
    public string? SectionName { get; }

    /// <summary>One past the last byte in guest memory; 128 bits wide so that a segment ending the address space needs no special case.</summary>
    internal UInt128 End => (UInt128)Address + MemorySize;
}

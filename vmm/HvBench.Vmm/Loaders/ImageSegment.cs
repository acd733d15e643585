namespace HvBench.Vmm.Loaders;

/// <summary>Bytes to copy into guest RAM at <see cref="Gpa"/>, followed by zeros up to <see cref="MemorySize"/>.</summary>
public sealed class ImageSegment
{
    /// <summary>Creates a segment; <paramref name="data"/> is kept, not copied.</summary>
    /// <param name="gpa">Guest-physical address of the first byte (<c>p_paddr</c> for ELF).</param>
    /// <param name="data">Bytes from the file (<c>p_filesz</c> of them).</param>
    /// <param name="memorySize">Bytes occupied in guest RAM (<c>p_memsz</c>), at least the data length.</param>
    /// <param name="executable">Whether the segment holds code (<c>PF_X</c>; always true for a flat image).</param>
    public ImageSegment(ulong gpa, byte[] data, ulong memorySize, bool executable)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (memorySize < (ulong)data.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(memorySize), memorySize, $"memory size is smaller than the {data.Length} data bytes");
        }

        if (memorySize > ulong.MaxValue - gpa)
        {
            throw new ArgumentOutOfRangeException(nameof(memorySize), memorySize, $"segment at 0x{gpa:x} runs past the end of the address space");
        }

        Gpa = gpa;
        Data = data;
        MemorySize = memorySize;
        Executable = executable;
    }

    /// <summary>Guest-physical address of the first byte.</summary>
    public ulong Gpa { get; }

    /// <summary>Bytes from the file, copied to <see cref="Gpa"/>.</summary>
    public byte[] Data { get; }

    /// <summary>Bytes occupied in guest RAM; those past <see cref="Data"/> are zero.</summary>
    public ulong MemorySize { get; }

    /// <summary>Whether the segment holds code (<c>PF_X</c>).</summary>
    public bool Executable { get; }

    /// <summary>Guest-physical address one past the last byte.</summary>
    public ulong End => Gpa + MemorySize;

    /// <summary>Whether <paramref name="gpa"/> lies inside the segment's memory range.</summary>
    public bool Contains(ulong gpa) => gpa >= Gpa && gpa - Gpa < MemorySize;
}

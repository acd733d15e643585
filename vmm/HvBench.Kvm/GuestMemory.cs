using System.Runtime.CompilerServices;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace HvBench.Kvm;

/// <summary>Guest RAM: one anonymous mmap'd region, reached by guest-physical address through
/// bounds-checked spans and atomic 64-bit operations. No pointer leaves this class.</summary>
public sealed unsafe class GuestMemory : IDisposable
{
    private byte* _base;

    /// <summary>Maps <paramref name="size"/> bytes (a multiple of 4 KiB) of zeroed RAM starting at GPA <paramref name="baseGpa"/>.</summary>
    public GuestMemory(ulong size, ulong baseGpa = 0)
    {
        if (size == 0 || size % 4096 != 0)
            throw new ArgumentOutOfRangeException(nameof(size), size, "guest RAM size must be a non-zero multiple of 4 KiB");
        void* p = mmap(null, (size_t)size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED)
        {
            int error = errno;
            throw new KvmException($"mmap of {size} bytes of guest RAM", error);
        }
        _base = (byte*)p;
        Size = size;
        BaseGpa = baseGpa;
    }

    /// <summary>Size of the region in bytes.</summary>
    public ulong Size { get; }

    /// <summary>Guest-physical address of the first byte.</summary>
    public ulong BaseGpa { get; }

    /// <summary>The host address of the mapping, for KVM_SET_USER_MEMORY_REGION.</summary>
    internal ulong HostAddress => (ulong)_base;

    /// <summary>True when [gpa, gpa + length) lies inside this region.</summary>
    public bool Contains(ulong gpa, ulong length) =>
        gpa >= BaseGpa && length <= Size && gpa - BaseGpa <= Size - length;

    /// <summary>A writable view of [gpa, gpa + length); throws when any byte is outside the region.</summary>
    public Span<byte> GetSpan(ulong gpa, int length)
    {
        if (length < 0 || !Contains(gpa, (ulong)length))
            ThrowOutside(gpa, (ulong)Math.Max(length, 0));
        EnsureMapped();
        // Safe: the range was checked against the mapping's size above.
        return new Span<byte>(_base + (gpa - BaseGpa), length);
    }

    /// <summary>Copies guest bytes at <paramref name="gpa"/> into <paramref name="destination"/>; false if outside.</summary>
    public bool TryRead(ulong gpa, Span<byte> destination)
    {
        if (!Contains(gpa, (ulong)destination.Length)) return false;
        GetSpan(gpa, destination.Length).CopyTo(destination);
        return true;
    }

    /// <summary>Copies <paramref name="source"/> into guest memory at <paramref name="gpa"/>; false if outside.</summary>
    public bool TryWrite(ulong gpa, ReadOnlySpan<byte> source)
    {
        if (!Contains(gpa, (ulong)source.Length)) return false;
        source.CopyTo(GetSpan(gpa, source.Length));
        return true;
    }

    /// <summary>Reads a little-endian 64-bit value; throws when outside.</summary>
    public ulong ReadUInt64(ulong gpa) => System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(GetSpan(gpa, 8));

    /// <summary>Writes a little-endian 64-bit value; throws when outside.</summary>
    public void WriteUInt64(ulong gpa, ulong value) => System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(GetSpan(gpa, 8), value);

    /// <summary>Atomically ORs <paramref name="mask"/> into the aligned 64-bit word at <paramref name="gpa"/>
    /// and returns the previous value; false if the word is outside the region or misaligned.</summary>
    public bool TryAtomicOr64(ulong gpa, ulong mask, out ulong previous)
    {
        if ((gpa & 7) != 0 || !Contains(gpa, 8)) { previous = 0; return false; }
        previous = (ulong)Interlocked.Or(ref Word(gpa), (long)mask);
        return true;
    }

    /// <summary>Atomically ANDs <paramref name="mask"/> into the aligned 64-bit word and returns the previous value.</summary>
    public bool TryAtomicAnd64(ulong gpa, ulong mask, out ulong previous)
    {
        if ((gpa & 7) != 0 || !Contains(gpa, 8)) { previous = 0; return false; }
        previous = (ulong)Interlocked.And(ref Word(gpa), (long)mask);
        return true;
    }

    /// <summary>Atomically exchanges the aligned 64-bit word and returns the previous value.</summary>
    public bool TryAtomicExchange64(ulong gpa, ulong value, out ulong previous)
    {
        if ((gpa & 7) != 0 || !Contains(gpa, 8)) { previous = 0; return false; }
        previous = (ulong)Interlocked.Exchange(ref Word(gpa), (long)value);
        return true;
    }

    private ref long Word(ulong gpa)
    {
        EnsureMapped();
        // Safe: callers checked alignment and that the 8 bytes lie inside the mapping.
        return ref Unsafe.AsRef<long>(_base + (gpa - BaseGpa));
    }

    private void EnsureMapped() => ObjectDisposedException.ThrowIf(_base == null, this);

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void ThrowOutside(ulong gpa, ulong length) =>
        throw new ArgumentOutOfRangeException(nameof(gpa),
            $"guest-physical range 0x{gpa:x}..0x{gpa + length:x} is outside RAM 0x{BaseGpa:x}..0x{BaseGpa + Size:x}");

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_base == null) return;
        munmap(_base, (size_t)Size);
        _base = null;
    }
}

using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace HvBench.Hyperv.Tests.Support;

/// <summary>One write the model made to guest memory.</summary>
internal readonly record struct MemoryWrite(ulong Gpa, int Length, ulong OrMask, bool IsAtomicOr);

/// <summary>Guest RAM over a <c>long[]</c>: atomic ORs are <see cref="Interlocked.Or(ref long, long)"/> on the word, as the
/// real <c>GuestMemory</c> does, and every write the model makes is recorded. The test's own accesses
/// (<see cref="Poke"/>, <see cref="Peek"/> …) bypass the record.</summary>
internal sealed class FakeGuestMemory : IGuestMemoryAccess
{
    private readonly long[] _words;
    private readonly Lock _recordLock = new();
    private readonly List<MemoryWrite> _writes = [];

    public FakeGuestMemory(ulong size)
    {
        if (size % 8 != 0)
        {
            throw new ArgumentException("RAM size must be a multiple of 8.", nameof(size));
        }

        Size = size;
        _words = new long[size / 8];
    }

    public ulong Size { get; }

    /// <summary>Record writes (on by default).</summary>
    public bool RecordWrites { get; set; } = true;

    public IReadOnlyList<MemoryWrite> Writes
    {
        get
        {
            lock (_recordLock)
            {
                return [.. _writes];
            }
        }
    }

    private Span<byte> Bytes => MemoryMarshal.AsBytes(_words.AsSpan());

    public void ClearWriteLog()
    {
        lock (_recordLock)
        {
            _writes.Clear();
        }
    }

    public bool TryRead(ulong gpa, Span<byte> destination)
    {
        if (!InRange(gpa, destination.Length))
        {
            return false;
        }

        Bytes.Slice((int)gpa, destination.Length).CopyTo(destination);
        return true;
    }

    public bool TryWrite(ulong gpa, ReadOnlySpan<byte> source)
    {
        if (!InRange(gpa, source.Length))
        {
            return false;
        }

        Record(new MemoryWrite(gpa, source.Length, 0, IsAtomicOr: false));
        source.CopyTo(Bytes.Slice((int)gpa, source.Length));
        return true;
    }

    public bool TryAtomicOr64(ulong gpa, ulong mask, out ulong previous)
    {
        if ((gpa & 7) != 0 || !InRange(gpa, 8))
        {
            previous = 0;
            return false;
        }

        Record(new MemoryWrite(gpa, 8, mask, IsAtomicOr: true));
        previous = (ulong)Interlocked.Or(ref _words[gpa / 8], (long)mask);
        return true;
    }

    /// <summary>Test-side write (not recorded).</summary>
    public void Poke(ulong gpa, ReadOnlySpan<byte> source) => source.CopyTo(Bytes.Slice((int)gpa, source.Length));

    /// <summary>Test-side 64-bit write (not recorded).</summary>
    public void Poke64(ulong gpa, ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        Poke(gpa, bytes);
    }

    /// <summary>Test-side 32-bit write (not recorded).</summary>
    public void Poke32(ulong gpa, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        Poke(gpa, bytes);
    }

    public byte[] Peek(ulong gpa, int length) => Bytes.Slice((int)gpa, length).ToArray();

    public ulong Peek64(ulong gpa) => BinaryPrimitives.ReadUInt64LittleEndian(Bytes.Slice((int)gpa, 8));

    public uint Peek32(ulong gpa) => BinaryPrimitives.ReadUInt32LittleEndian(Bytes.Slice((int)gpa, 4));

    /// <summary>Atomic, like a guest's locked instruction on the word (not recorded).</summary>
    public ulong AtomicAnd64(ulong gpa, ulong mask) => (ulong)Interlocked.And(ref _words[gpa / 8], (long)mask);

    /// <summary>Atomic 64-bit read (not recorded).</summary>
    public ulong AtomicRead64(ulong gpa) => (ulong)Interlocked.Read(ref _words[gpa / 8]);

    /// <summary>Test-side fill of a whole range (not recorded).</summary>
    public void Fill(ulong gpa, int length, byte value) => Bytes.Slice((int)gpa, length).Fill(value);

    public bool IsZero(ulong gpa, int length) => !Bytes.Slice((int)gpa, length).ContainsAnyExcept((byte)0);

    private bool InRange(ulong gpa, int length) => gpa <= Size && (ulong)length <= Size - gpa;

    private void Record(MemoryWrite write)
    {
        if (!RecordWrites)
        {
            return;
        }

        lock (_recordLock)
        {
            _writes.Add(write);
        }
    }
}

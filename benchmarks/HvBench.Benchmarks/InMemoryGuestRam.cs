using System.Runtime.InteropServices;
using HvBench.Hyperv;

namespace HvBench.Benchmarks;

/// <summary>Guest RAM in a managed <c>long[]</c>, with the same contract as the VMM's mapping: bounds-checked spans and a
/// real locked OR for the SIEF word. Lets the model be measured without KVM.</summary>
public sealed class InMemoryGuestRam : IGuestMemoryAccess
{
    private readonly long[] _words;

    /// <summary>Creates <paramref name="size"/> bytes of zeroed RAM (a multiple of 8).</summary>
    public InMemoryGuestRam(ulong size)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(size % 8, 0UL);
        Size = size;
        _words = new long[size / 8];
    }

    /// <inheritdoc/>
    public ulong Size { get; }

    private Span<byte> Bytes => MemoryMarshal.AsBytes(_words.AsSpan());

    /// <inheritdoc/>
    public bool TryRead(ulong gpa, Span<byte> destination)
    {
        if (gpa > Size || (ulong)destination.Length > Size - gpa)
        {
            return false;
        }

        Bytes.Slice((int)gpa, destination.Length).CopyTo(destination);
        return true;
    }

    /// <inheritdoc/>
    public bool TryWrite(ulong gpa, ReadOnlySpan<byte> source)
    {
        if (gpa > Size || (ulong)source.Length > Size - gpa)
        {
            return false;
        }

        source.CopyTo(Bytes.Slice((int)gpa, source.Length));
        return true;
    }

    /// <inheritdoc/>
    public bool TryAtomicOr64(ulong gpa, ulong mask, out ulong previous)
    {
        if ((gpa & 7) != 0 || gpa > Size - 8)
        {
            previous = 0;
            return false;
        }

        previous = (ulong)Interlocked.Or(ref _words[gpa / 8], (long)mask);
        return true;
    }

    /// <summary>Plain 64-bit store, as the guest clearing its flags would do.</summary>
    public void Write64(ulong gpa, ulong value) => _words[gpa / 8] = (long)value;
}

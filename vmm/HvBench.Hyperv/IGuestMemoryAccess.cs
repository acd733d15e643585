namespace HvBench.Hyperv;

/// <summary>Guest RAM as the model sees it; implemented by the VMM over its memory mapping.</summary>
/// <remarks>Called from any vCPU thread, concurrently. Every method is bounds-checked and reports failure by
/// returning false, never by throwing: a GPA outside RAM is a guest error, not a host one.</remarks>
public interface IGuestMemoryAccess
{
    /// <summary>RAM size in bytes; RAM is GPA [0, Size).</summary>
    ulong Size { get; }

    /// <summary>Copies guest bytes at <paramref name="gpa"/> into <paramref name="destination"/>; false if any byte is outside RAM.</summary>
    bool TryRead(ulong gpa, Span<byte> destination);

    /// <summary>Copies <paramref name="source"/> to guest bytes at <paramref name="gpa"/>; false (and nothing written) if any byte is outside RAM.</summary>
    bool TryWrite(ulong gpa, ReadOnlySpan<byte> source);

    /// <summary>Atomically ORs <paramref name="mask"/> into the little-endian 64-bit word at <paramref name="gpa"/> (a locked RMW, as
    /// <c>Interlocked.Or</c>); false if <paramref name="gpa"/> is not 8-aligned or the word is outside RAM.</summary>
    bool TryAtomicOr64(ulong gpa, ulong mask, out ulong previous);
}

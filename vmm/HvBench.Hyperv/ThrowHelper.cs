using System.Diagnostics.CodeAnalysis;

namespace HvBench.Hyperv;

/// <summary>Cold throw helpers, so hot methods stay small (style.md section 4). Only host (VMM) mistakes throw.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    internal static void ThrowVpIndexOutOfRange(int vpIndex, int vpCount) =>
        throw new ArgumentOutOfRangeException(nameof(vpIndex), vpIndex, $"VP index must be in 0..{vpCount - 1}.");

    [DoesNotReturn]
    internal static void ThrowArgumentTooShort(string name, int length) =>
        throw new ArgumentException($"Must be at least {length} bytes long.", name);

    [DoesNotReturn]
    internal static void ThrowArgumentOutOfRange(string name, object value, string message) =>
        throw new ArgumentOutOfRangeException(name, value, message);

    [DoesNotReturn]
    internal static void ThrowDuplicate(string name, string what, uint id) =>
        throw new ArgumentException($"{what} 0x{id:X} already exists in this partition.", name);
}

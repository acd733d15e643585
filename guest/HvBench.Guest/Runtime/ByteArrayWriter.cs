using Iced.Intel;

namespace HvBench.Guest;

/// <summary>An Iced code writer that collects the bytes in memory.</summary>
internal sealed class ByteArrayWriter : CodeWriter
{
    private readonly List<byte> _bytes = [];

    public override void WriteByte(byte value) => _bytes.Add(value);

    public byte[] ToArray() => [.. _bytes];
}

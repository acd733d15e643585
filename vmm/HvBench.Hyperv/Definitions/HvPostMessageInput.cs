using System.Buffers.Binary;

namespace HvBench.Hyperv;

/// <summary>The 256-byte <c>HvCallPostMessage</c> input block (tlfs.md section 4), read from guest memory.</summary>
/// <remarks>ConnectionId u32 @0, RsvdZ u32 @4, MessageType u32 @8, PayloadSize u32 @12, Payload[240] @16.</remarks>
public readonly ref struct HvPostMessageInput
{
    /// <summary>Size of the block in bytes.</summary>
    public const int Size = 256;

    /// <summary>Offset of the payload.</summary>
    public const int PayloadOffset = 16;

    private readonly ReadOnlySpan<byte> _block;

    /// <summary>Wraps a 256-byte block.</summary>
    public HvPostMessageInput(ReadOnlySpan<byte> block)
    {
        if (block.Length < Size)
        {
            ThrowHelper.ThrowArgumentTooShort(nameof(block), Size);
        }

        _block = block;
    }

    /// <summary>ConnectionId, bytes 0..3 (bits 31:24 reserved).</summary>
    public uint ConnectionId => BinaryPrimitives.ReadUInt32LittleEndian(_block);

    /// <summary>RsvdZ, bytes 4..7.</summary>
    public uint Reserved => BinaryPrimitives.ReadUInt32LittleEndian(_block[4..]);

    /// <summary>MessageType, bytes 8..11; 0 and values with bit 31 set are invalid for guests.</summary>
    public uint MessageType => BinaryPrimitives.ReadUInt32LittleEndian(_block[8..]);

    /// <summary>PayloadSize, bytes 12..15; at most <see cref="HvMessage.MaxPayloadSize"/>.</summary>
    public uint PayloadSize => BinaryPrimitives.ReadUInt32LittleEndian(_block[12..]);

    /// <summary>The 240-byte payload area.</summary>
    public ReadOnlySpan<byte> Payload => _block.Slice(PayloadOffset, HvMessage.MaxPayloadSize);
}

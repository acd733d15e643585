using System.Buffers.Binary;

namespace HvBench.Hyperv;

/// <summary>The 8-byte <c>HvCallSignalEvent</c> input block (tlfs.md section 3): ConnectionId u32 @0, FlagNumber u16 @4, RsvdZ u16 @6.</summary>
/// <remarks>In the fast TLFS form this is RDX. <c>HV_CONNECTION_ID</c> bits 31:24 are reserved (KVM
/// <c>KVM_HYPERV_CONN_ID_MASK</c> = 0x00FFFFFF).</remarks>
/// <param name="raw">The block as a little-endian 64-bit value.</param>
public readonly struct HvSignalEventInput(ulong raw)
{
    /// <summary>Size of the block in bytes.</summary>
    public const int Size = 8;

    /// <summary>Valid bits of an <c>HV_CONNECTION_ID</c>.</summary>
    public const uint ConnectionIdMask = 0x00FFFFFF;

    /// <summary>Bits that must be zero: ConnectionId 31:24 and RsvdZ 63:48.</summary>
    public const ulong ReservedMask = 0xFFFF_0000_FF00_0000UL;

    /// <summary>The raw block.</summary>
    public ulong Raw { get; } = raw;

    /// <summary>ConnectionId, bits 31:0 (including the reserved high byte).</summary>
    public uint ConnectionId => (uint)Raw;

    /// <summary>FlagNumber, bits 47:32, relative to the port's base flag number.</summary>
    public ushort FlagNumber => (ushort)(Raw >> 32);

    /// <summary>True if any RsvdZ bit is set.</summary>
    public bool HasReservedBits => (Raw & ReservedMask) != 0;

    /// <summary>Builds the block from its fields.</summary>
    public static HvSignalEventInput Create(uint connectionId, ushort flagNumber) => new(connectionId | ((ulong)flagNumber << 32));

    /// <summary>Reads the block from its 8 little-endian bytes.</summary>
    public static HvSignalEventInput Read(ReadOnlySpan<byte> block) => new(BinaryPrimitives.ReadUInt64LittleEndian(block));
}

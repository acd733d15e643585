namespace HvBench.Hyperv;

/// <summary><c>HV_MESSAGE</c> layout in a SIM slot (tlfs.md section 6.2).</summary>
/// <remarks>Header (16 bytes): MessageType u32 @0, PayloadSize u8 @4, MessageFlags u8 @5 (bit 0 MessagePending),
/// Reserved u16 @6, OriginationId/PortId u64 @8; payload 240 bytes @16.</remarks>
public static class HvMessage
{
    /// <summary>Size of one message slot in bytes.</summary>
    public const int Size = 256;

    /// <summary>Size of the header in bytes.</summary>
    public const int HeaderSize = 16;

    /// <summary>Largest payload, in bytes.</summary>
    public const int MaxPayloadSize = 240;

    /// <summary>Offset of MessageType (u32).</summary>
    public const int MessageTypeOffset = 0;

    /// <summary>Offset of PayloadSize (u8).</summary>
    public const int PayloadSizeOffset = 4;

    /// <summary>Offset of MessageFlags (u8).</summary>
    public const int MessageFlagsOffset = 5;

    /// <summary>Offset of the origination field (u64), which carries the port id for guest messages.</summary>
    public const int OriginationIdOffset = 8;

    /// <summary>Offset of the payload.</summary>
    public const int PayloadOffset = 16;

    /// <summary>MessageFlags bit 0, <c>MessagePending</c>: more messages are queued for this SINT.</summary>
    public const byte MessagePendingFlag = 1;

    /// <summary><c>HvMessageTypeNone</c>: the slot is empty.</summary>
    public const uint MessageTypeNone = 0;

    /// <summary>MessageType bit 31: types reserved for the hypervisor.</summary>
    public const uint HypervisorMessageTypeBit = 0x8000_0000;
}

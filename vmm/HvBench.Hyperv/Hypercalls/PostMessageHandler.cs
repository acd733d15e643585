namespace HvBench.Hyperv;

/// <summary>What <c>HvCallPostMessage</c> means (tlfs.md sections 4 and 6.2; section 9 item 7).</summary>
/// <remarks>
/// <see cref="StatusProfile.Tlfs"/> check order after the dispatcher's common checks: INVALID_HYPERCALL_INPUT
/// (ConnectionId bits 31:24, RsvdZ word) → INVALID_PARAMETER (MessageType 0 or with bit 31 set, PayloadSize &gt; 240)
/// → INVALID_CONNECTION_ID → INVALID_PORT_ID → INVALID_VP_INDEX → INVALID_SYNIC_STATE (SCONTROL or SIMP disabled) →
/// INSUFFICIENT_BUFFERS → queued (SUCCESS).
/// The TLFS leaves the order open but prefers codes that reveal less: the block's own validity reveals nothing about
/// the target, so it comes first (QEMU also rejects a bad PayloadSize before looking up the connection); running out
/// of buffers is transient, so it comes last and is only reported for a post that would otherwise be accepted.
/// <see cref="StatusProfile.KvmCompat"/> follows QEMU's <c>hyperv_hcall_post_message</c> up to the connection
/// (tlfs.md section 4): INVALID_HYPERCALL_INPUT (PayloadSize &gt; 240) → INVALID_CONNECTION_ID (looked up with bits
/// 31:24 masked off; the RsvdZ word is never read), then the rest as above, from INVALID_PARAMETER for the
/// MessageType (in QEMU the connection's handler decides).
/// </remarks>
internal static class PostMessageHandler
{
    internal static HvStatus Post(Partition caller, HvPostMessageInput input)
    {
        Connection? connection;
        if (caller.StatusProfile == StatusProfile.KvmCompat)
        {
            if (input.PayloadSize > HvMessage.MaxPayloadSize)
            {
                return HvStatus.InvalidHypercallInput;
            }

            if (!caller.TryGetConnection(input.ConnectionId & HvSignalEventInput.ConnectionIdMask, out connection))
            {
                return HvStatus.InvalidConnectionId;
            }

            if (!IsGuestMessageType(input.MessageType))
            {
                return HvStatus.InvalidParameter;
            }
        }
        else
        {
            if ((input.ConnectionId & ~HvSignalEventInput.ConnectionIdMask) != 0 || input.Reserved != 0)
            {
                return HvStatus.InvalidHypercallInput;
            }

            if (!IsGuestMessageType(input.MessageType) || input.PayloadSize > HvMessage.MaxPayloadSize)
            {
                return HvStatus.InvalidParameter;
            }

            if (!caller.TryGetConnection(input.ConnectionId, out connection))
            {
                return HvStatus.InvalidConnectionId;
            }
        }

        Partition owner = connection.PortPartition;
        if (!owner.TryGetPort(connection.PortId, out Port? port) || !owner.IsActive || port is not MessagePort messagePort)
        {
            return HvStatus.InvalidPortId;
        }

        if ((uint)messagePort.TargetVp >= (uint)owner.VpCount)
        {
            return HvStatus.InvalidVpIndex;
        }

        SynicState synic = owner.SynicOf(messagePort.TargetVp);
        if (!synic.Scontrol.Enabled || !synic.Simp.Enabled)
        {
            return HvStatus.InvalidSynicState;
        }

        int delivered = 0;
        HvStatus status = synic.Messages.Post(messagePort, input.MessageType, input.Payload[..(int)input.PayloadSize], ref delivered);
        synic.Messages.AssertDelivered(delivered);
        return status;
    }

    /// <summary>Type 0 means "slot empty" and bit 31 marks hypervisor messages: neither may come from a guest.</summary>
    private static bool IsGuestMessageType(uint messageType) =>
        messageType != HvMessage.MessageTypeNone && (messageType & HvMessage.HypervisorMessageTypeBit) == 0;
}

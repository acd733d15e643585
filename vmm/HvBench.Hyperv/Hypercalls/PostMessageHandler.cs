namespace HvBench.Hyperv;

/// <summary>What <c>HvCallPostMessage</c> means (tlfs.md sections 4 and 6.2; section 9 item 7).</summary>
/// <remarks>
/// Check order after the dispatcher's common checks: INVALID_HYPERCALL_INPUT (ConnectionId bits 31:24, RsvdZ word) →
/// INVALID_PARAMETER (MessageType 0 or with bit 31 set, PayloadSize &gt; 240) → INVALID_CONNECTION_ID → INVALID_PORT_ID
/// → INVALID_VP_INDEX → INVALID_SYNIC_STATE (SCONTROL or SIMP disabled) → INSUFFICIENT_BUFFERS → queued (SUCCESS).
/// The TLFS leaves the order open but prefers codes that reveal less: the block's own validity reveals nothing about
/// the target, so it comes first (QEMU also rejects a bad PayloadSize before looking up the connection); running out
/// of buffers is transient, so it comes last and is only reported for a post that would otherwise be accepted.
/// </remarks>
internal static class PostMessageHandler
{
    internal static HvStatus Post(Partition caller, HvPostMessageInput input)
    {
        if ((input.ConnectionId & ~HvSignalEventInput.ConnectionIdMask) != 0 || input.Reserved != 0)
        {
            return HvStatus.InvalidHypercallInput;
        }

        uint messageType = input.MessageType;
        if (messageType == HvMessage.MessageTypeNone
            || (messageType & HvMessage.HypervisorMessageTypeBit) != 0
            || input.PayloadSize > HvMessage.MaxPayloadSize)
        {
            return HvStatus.InvalidParameter;
        }

        if (!caller.TryGetConnection(input.ConnectionId, out Connection? connection))
        {
            return HvStatus.InvalidConnectionId;
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
        HvStatus status = synic.Messages.Post(messagePort, messageType, input.Payload[..(int)input.PayloadSize], ref delivered);
        synic.Messages.AssertDelivered(delivered);
        return status;
    }
}

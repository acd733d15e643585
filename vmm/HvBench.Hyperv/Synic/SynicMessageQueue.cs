using System.Buffers.Binary;

namespace HvBench.Hyperv;

/// <summary>One VP's queued messages, one FIFO per SINT, and their delivery into the SIM page (tlfs.md section 6.2).</summary>
/// <remarks>One lock per VP guards the queues and the buffers of the ports that target this VP; posts, EOM writes and
/// port removal may run concurrently on different threads. The SINT interrupts a call causes are raised by the caller
/// after the lock is released (<see cref="AssertDelivered"/>), so the VMM's sink never runs under a model lock.</remarks>
internal sealed class SynicMessageQueue
{
    private const ulong MessagePendingMask = (ulong)HvMessage.MessagePendingFlag << (8 * HvMessage.MessageFlagsOffset);

    private readonly Lock _lock = new();
    private readonly List<QueuedMessage>?[] _queues = new List<QueuedMessage>?[SynicState.SintCount];
    private readonly int[] _portsPerSint = new int[SynicState.SintCount];
    private readonly Partition _partition;
    private readonly SynicState _synic;

    internal SynicMessageQueue(Partition partition, SynicState synic)
    {
        _partition = partition;
        _synic = synic;
    }

    private enum SlotState
    {
        Free,
        Busy,
        Unreachable,
    }

    internal int Count(int sint)
    {
        lock (_lock)
        {
            return _queues[sint]?.Count ?? 0;
        }
    }

    /// <summary>Makes room in SINT <paramref name="sint"/>'s queue for the buffers of one more message port, before the
    /// port can be posted to. A queue holds at most the buffers of the ports that target it, so posts never grow it and
    /// the call path allocates nothing. The room of a removed port is kept for the next one.</summary>
    internal void ReserveForPort(int sint)
    {
        lock (_lock)
        {
            List<QueuedMessage> queue = _queues[sint] ??= new List<QueuedMessage>(MessagePort.BufferCount);
            int ports = ++_portsPerSint[sint];
            queue.Capacity = Math.Max(queue.Capacity, ports * MessagePort.BufferCount);
        }
    }

    /// <summary>Accepts a message for <paramref name="port"/> and tries to deliver its SINT's queue; bit n of
    /// <paramref name="delivered"/> is set when a message reached SINT n's slot.</summary>
    internal HvStatus Post(MessagePort port, uint messageType, ReadOnlySpan<byte> payload, ref int delivered)
    {
        lock (_lock)
        {
            if (port.Removed)
            {
                return HvStatus.InvalidPortId;
            }

            int index = port.TryTakeBuffer();
            if (index < 0)
            {
                return HvStatus.InsufficientBuffers;
            }

            Span<byte> message = port.Buffer(index);
            message.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(message, messageType);
            message[HvMessage.PayloadSizeOffset] = (byte)payload.Length;
            BinaryPrimitives.WriteUInt64LittleEndian(message[HvMessage.OriginationIdOffset..], port.PortId);
            payload.CopyTo(message[HvMessage.PayloadOffset..]);

            // The port's SINT queue exists and has room for its buffers (ReserveForPort), so this never allocates.
            int sint = port.TargetSint;
            _queues[sint]!.Add(new QueuedMessage(port, index));
            DeliverLocked(sint, ref delivered);
            return HvStatus.Success;
        }
    }

    /// <summary>Rescans every SINT's queue (EOM write, SCONTROL/SIMP change).</summary>
    internal void Rescan(ref int delivered)
    {
        lock (_lock)
        {
            for (int sint = 0; sint < SynicState.SintCount; sint++)
            {
                DeliverLocked(sint, ref delivered);
            }
        }
    }

    /// <summary>Drops the queued messages of a removed port and frees its buffers (TLFS: deleting a port frees them).</summary>
    internal void RemovePort(MessagePort port)
    {
        lock (_lock)
        {
            port.Removed = true;
            _portsPerSint[port.TargetSint]--;
            List<QueuedMessage>? queue = _queues[port.TargetSint];
            if (queue is null)
            {
                return;
            }

            for (int i = queue.Count - 1; i >= 0; i--)
            {
                if (ReferenceEquals(queue[i].Port, port))
                {
                    port.ReleaseBuffer(queue[i].Buffer);
                    queue.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>Raises the SINTs named in <paramref name="delivered"/>, unless masked or polling (a masked SINT loses the
    /// interrupt but the message stays in the slot, tlfs.md section 6.2 step 1). Call without holding the lock.</summary>
    internal void AssertDelivered(int delivered)
    {
        while (delivered != 0)
        {
            int sint = System.Numerics.BitOperations.TrailingZeroCount(delivered);
            delivered &= delivered - 1;
            SintRegister register = _synic.Sint(sint);
            if (!register.Masked && !register.Polling)
            {
                _partition.RaiseSint(_synic.VpIndex, register);
            }
        }
    }

    /// <summary>Copies the head of SINT <paramref name="sint"/>'s queue into its SIM slot if the slot is free.</summary>
    private void DeliverLocked(int sint, ref int delivered)
    {
        List<QueuedMessage>? queue = _queues[sint];
        Span<byte> type = stackalloc byte[sizeof(uint)];
        while (queue is { Count: > 0 })
        {
            // SynIC or SIM disabled: the message stays queued until a later post, EOM or enable (tlfs.md section 6.2 step 2).
            SynicPageRegister simp = _synic.Simp;
            if (!_synic.Scontrol.Enabled || !simp.Enabled)
            {
                return;
            }

            ulong slot = simp.Gpa + ((ulong)sint * HvMessage.Size);
            QueuedMessage head = queue[0];
            SlotState state = ProbeSlot(slot, type);
            if (state == SlotState.Busy)
            {
                return;
            }

            queue.RemoveAt(0);
            if (state == SlotState.Free)
            {
                Span<byte> message = head.Port.Buffer(head.Buffer);
                message[HvMessage.MessageFlagsOffset] = queue.Count > 0 ? HvMessage.MessagePendingFlag : (byte)0;

                // MessageType last, as KVM's synic_deliver_msg does: the guest treats a non-zero type as "slot full",
                // so the rest of the message must be in place before it can see one.
                IGuestMemoryAccess memory = _partition.Memory;
                if (memory.TryWrite(slot + sizeof(uint), message[sizeof(uint)..])
                    && memory.TryWrite(slot, message[..sizeof(uint)]))
                {
                    delivered |= 1 << sint;
                }
            }

            // Unreachable: the SIM page lies outside RAM. The message is lost like any write to memory that does not
            // exist, no interrupt is raised, and the next one is tried (it meets the same fate), so the port's buffers
            // are not held forever by a page the guest can never read. The run's report counts it.
            if (state == SlotState.Unreachable)
            {
                _partition.CountDroppedMessage();
            }

            head.Port.ReleaseBuffer(head.Buffer);
            if (state == SlotState.Free)
            {
                return;
            }
        }
    }

    /// <summary>Is the SIM slot free? If busy, sets MessagePending in the occupying message.</summary>
    private SlotState ProbeSlot(ulong slot, Span<byte> type)
    {
        IGuestMemoryAccess memory = _partition.Memory;
        if (!memory.TryRead(slot, type))
        {
            return SlotState.Unreachable;
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(type) == HvMessage.MessageTypeNone)
        {
            return SlotState.Free;
        }

        // Set MessagePending with one atomic OR on the header's first word and look at the MessageType it replaced. A
        // guest that empties the slot meanwhile (writes type 0, then reads the flags) is ordered either before the OR,
        // and then we see type 0 and deliver now, or after it, and then it sees MessagePending and writes EOM. KVM
        // reads, then writes the flag byte, and can lose the wake-up in between.
        if (!memory.TryAtomicOr64(slot, MessagePendingMask, out ulong previous))
        {
            return SlotState.Unreachable;
        }

        return (uint)previous == HvMessage.MessageTypeNone ? SlotState.Free : SlotState.Busy;
    }

    private readonly record struct QueuedMessage(MessagePort Port, int Buffer);
}

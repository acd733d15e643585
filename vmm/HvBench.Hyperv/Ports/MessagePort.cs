namespace HvBench.Hyperv;

/// <summary>A message port: <c>HvCallPostMessage</c> queues a message for the target SINT's SIM slot.</summary>
/// <remarks>Each port owns <see cref="BufferCount"/> message buffers (TLFS "Guest Message Buffers"; Linux
/// <c>HV_PORT_MESSAGE_BUFFER_COUNT</c>). A buffer is held from the post until the message is copied into the SIM slot.
/// Buffer state is guarded by the target VP's message-queue lock.</remarks>
public sealed class MessagePort : Port
{
    /// <summary>Message buffers per port.</summary>
    public const int BufferCount = 16;

    private readonly byte[] _storage = new byte[BufferCount * HvMessage.Size];
    private int _freeMask = (1 << BufferCount) - 1;

    internal MessagePort(Partition owner, uint portId, int targetVp, int targetSint)
        : base(owner, portId, targetVp, targetSint)
    {
    }

    /// <inheritdoc/>
    public override HvPortType Type => HvPortType.Message;

    /// <summary>Messages accepted but not yet copied into the SIM (a snapshot).</summary>
    public int QueuedMessageCount => BufferCount - System.Numerics.BitOperations.PopCount((uint)Volatile.Read(ref _freeMask));

    /// <summary>Set (under the queue lock) once the port is removed: posts that raced with the removal are refused.</summary>
    internal bool Removed { get; set; }

    /// <summary>Takes a free buffer; -1 if all are in use. Caller holds the target VP's queue lock.</summary>
    internal int TryTakeBuffer()
    {
        int free = _freeMask;
        if (free == 0)
        {
            return -1;
        }

        int index = System.Numerics.BitOperations.TrailingZeroCount(free);
        Volatile.Write(ref _freeMask, free & ~(1 << index));
        return index;
    }

    /// <summary>Returns a buffer. Caller holds the target VP's queue lock.</summary>
    internal void ReleaseBuffer(int index) => Volatile.Write(ref _freeMask, _freeMask | (1 << index));

    /// <summary>The 256 bytes of buffer <paramref name="index"/>, laid out as an <c>HV_MESSAGE</c>.</summary>
    internal Span<byte> Buffer(int index) => _storage.AsSpan(index * HvMessage.Size, HvMessage.Size);
}

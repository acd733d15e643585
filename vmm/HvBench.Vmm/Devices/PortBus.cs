namespace HvBench.Vmm.Devices;

/// <summary>The port-I/O bus: a flat 65,536-entry table, so dispatch is one array index (style.md 5).
/// Ports with no device read all ones and ignore writes, as on a PC with nothing there; they are counted.</summary>
public sealed class PortBus
{
    private readonly IPortDevice?[] _devices = new IPortDevice?[65536];
    private long _unclaimedReads;
    private long _unclaimedWrites;

    /// <summary>Attaches <paramref name="device"/> to ports [first, first + count).</summary>
    public void Attach(ushort first, int count, IPortDevice device)
    {
        for (int i = 0; i < count; i++)
        {
            int port = first + i;
            if (_devices[port] is not null)
                throw new InvalidOperationException($"port 0x{port:x} already has a device");
            _devices[port] = device;
        }
    }

    /// <summary>Reads of ports with no device.</summary>
    public long UnclaimedReads => Interlocked.Read(ref _unclaimedReads);

    /// <summary>Writes to ports with no device.</summary>
    public long UnclaimedWrites => Interlocked.Read(ref _unclaimedWrites);

    /// <summary>Handles one port access of <paramref name="size"/> bytes, <paramref name="count"/> times (string I/O).</summary>
    public void Access(int vpIndex, ushort port, bool isWrite, int size, Span<byte> data)
    {
        IPortDevice? device = _devices[port];
        for (int offset = 0; offset + size <= data.Length; offset += size)
        {
            Span<byte> item = data.Slice(offset, size);
            if (device is null)
            {
                if (isWrite) Interlocked.Increment(ref _unclaimedWrites);
                else { Interlocked.Increment(ref _unclaimedReads); item.Fill(0xFF); }
            }
            else if (isWrite) device.Out(vpIndex, port, item);
            else device.In(vpIndex, port, item);
        }
    }
}

namespace HvBench.Vmm.Devices;

/// <summary>The MMIO bus: guest-physical ranges that are not RAM, each with its device. KVM sends an access there to
/// user space (the in-kernel LAPIC page never comes here). Ranges are few, so dispatch is a scan of a small array that
/// is replaced, never changed, when a device is attached. Addresses with no device read all ones and ignore writes,
/// as on a PC with nothing there; they are counted.</summary>
public sealed class MmioBus
{
    private (ulong First, ulong End, IMmioDevice Device)[] _ranges = [];
    private long _unclaimedReads;
    private long _unclaimedWrites;

    /// <summary>Attaches <paramref name="device"/> to guest-physical addresses [first, first + size).</summary>
    public void Attach(ulong first, ulong size, IMmioDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (size == 0 || first + size < first) throw new ArgumentOutOfRangeException(nameof(size), $"0x{first:x} + 0x{size:x} is not a range");
        foreach (var (start, end, _) in _ranges)
            if (first < end && start < first + size)
                throw new InvalidOperationException($"0x{first:x}..0x{first + size:x} overlaps the device at 0x{start:x}..0x{end:x}");
        Volatile.Write(ref _ranges, [.. _ranges, (first, first + size, device)]);
    }

    /// <summary>Reads of addresses with no device.</summary>
    public long UnclaimedReads => Interlocked.Read(ref _unclaimedReads);

    /// <summary>Writes to addresses with no device.</summary>
    public long UnclaimedWrites => Interlocked.Read(ref _unclaimedWrites);

    /// <summary>Handles one access at <paramref name="gpa"/>. Allocates nothing.</summary>
    public void Access(int vpIndex, ulong gpa, bool isWrite, Span<byte> data)
    {
        foreach (var (first, end, device) in Volatile.Read(ref _ranges))
        {
            if (gpa < first || gpa >= end) continue;
            if (isWrite) device.Write(vpIndex, gpa - first, data);
            else device.Read(vpIndex, gpa - first, data);
            return;
        }
        if (isWrite)
        {
            Interlocked.Increment(ref _unclaimedWrites);
        }
        else
        {
            Interlocked.Increment(ref _unclaimedReads);
            data.Fill(0xFF);
        }
    }
}

namespace HvBench.Vmm.Devices;

/// <summary>A device on the MMIO bus: guest accesses to its range that KVM sends to user space.</summary>
public interface IMmioDevice
{
    /// <summary>A guest read at <paramref name="offset"/> into the device's range: fill <paramref name="data"/> (1 … 8 bytes).</summary>
    void Read(int vpIndex, ulong offset, Span<byte> data);

    /// <summary>A guest write of <paramref name="data"/> (1 … 8 bytes) at <paramref name="offset"/> into the device's range.</summary>
    void Write(int vpIndex, ulong offset, ReadOnlySpan<byte> data);
}

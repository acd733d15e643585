namespace HvBench.Vmm.Devices;

/// <summary>A device on the port-I/O bus. Called on the vCPU thread that made the access; must not allocate.</summary>
public interface IPortDevice
{
    /// <summary>A guest <c>in</c>: fill <paramref name="data"/> (1, 2 or 4 bytes).</summary>
    void In(int vpIndex, ushort port, Span<byte> data);

    /// <summary>A guest <c>out</c> of <paramref name="data"/> (1, 2 or 4 bytes).</summary>
    void Out(int vpIndex, ushort port, ReadOnlySpan<byte> data);
}

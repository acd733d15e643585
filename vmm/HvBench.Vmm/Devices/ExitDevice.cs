using System.Buffers.Binary;

namespace HvBench.Vmm.Devices;

/// <summary>Port 0xF4, the exit device (guest-abi.md): writing v (8, 16 or 32 bits) ends the whole run with
/// guest exit code v; 0 is PASS. When two VPs write at once, the first write ends the run.</summary>
public sealed class ExitDevice(Action<int, uint> onExit) : IPortDevice
{
    /// <summary>The exit port.</summary>
    public const ushort Port = 0xF4;

    /// <inheritdoc/>
    public void In(int vpIndex, ushort port, Span<byte> data) => data.Fill(0xFF);

    /// <inheritdoc/>
    public void Out(int vpIndex, ushort port, ReadOnlySpan<byte> data)
    {
        uint value = data.Length switch
        {
            1 => data[0],
            2 => BinaryPrimitives.ReadUInt16LittleEndian(data),
            _ => BinaryPrimitives.ReadUInt32LittleEndian(data),
        };
        onExit(vpIndex, value);
    }
}

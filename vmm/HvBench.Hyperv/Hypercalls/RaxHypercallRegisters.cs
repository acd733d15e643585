using System.Buffers.Binary;

namespace HvBench.Hyperv;

/// <summary>The design-card convention (<see cref="HypercallConvention.Rax"/>): RAX input value, RBX/RCX operands or GPAs.</summary>
internal readonly struct RaxHypercallRegisters(in HypercallRegisters registers) : IHypercallRegisters
{
    private readonly HypercallRegisters _registers = registers;

    public ulong InputValue => _registers.Rax;

    public ulong InputGpa => _registers.Rbx;

    public ulong OutputGpa => _registers.Rcx;

    public bool TryReadRegisterInput(HypercallCode code, bool fast, Span<byte> block, out HvStatus status)
    {
        if (code == HypercallCode.HvCallSignalEvent)
        {
            // RBX = ConnectionId, RCX = FlagNumber, whatever the Fast bit says. Their unused high bits play the part of
            // the block's RsvdZ bits, so they give the same status at the same point of the check order.
            if ((_registers.Rbx >> 32) != 0 || (_registers.Rcx >> 16) != 0)
            {
                status = HvStatus.InvalidHypercallInput;
                return true;
            }

            BinaryPrimitives.WriteUInt64LittleEndian(block, HvSignalEventInput.Create((uint)_registers.Rbx, (ushort)_registers.Rcx).Raw);
            status = HvStatus.Success;
            return true;
        }

        if (!fast)
        {
            status = HvStatus.Success;
            return false;
        }

        status = FastInput.Read(_registers.Rbx, _registers.Rcx, block);
        return true;
    }
}

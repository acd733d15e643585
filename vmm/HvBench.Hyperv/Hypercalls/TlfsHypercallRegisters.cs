using System.Buffers.Binary;

namespace HvBench.Hyperv;

/// <summary>The TLFS x64 convention (<see cref="HypercallConvention.Tlfs"/>): RCX input value, RDX/R8 fast input or GPAs.</summary>
internal readonly struct TlfsHypercallRegisters(in HypercallRegisters registers) : IHypercallRegisters
{
    private readonly HypercallRegisters _registers = registers;

    public ulong InputValue => _registers.Rcx;

    public ulong InputGpa => _registers.Rdx;

    public ulong OutputGpa => _registers.R8;

    public bool TryReadRegisterInput(HypercallCode code, bool fast, Span<byte> block, out HvStatus status)
    {
        if (!fast)
        {
            status = HvStatus.Success;
            return false;
        }

        status = FastInput.Read(_registers.Rdx, _registers.R8, block);
        return true;
    }
}

/// <summary>Fast (register) input shared by both conventions: two 64-bit registers carry the first 16 input bytes.</summary>
internal static class FastInput
{
    /// <summary>Largest block two registers carry; XMM input is not offered (CPUID 0x40000003 EDX bit 4 clear).</summary>
    internal const int MaxSize = 16;

    internal static HvStatus Read(ulong first, ulong second, Span<byte> block)
    {
        // A block larger than the registers cannot be passed fast (OVMM: "fast input too large").
        if (block.Length > MaxSize)
        {
            return HvStatus.InvalidHypercallInput;
        }

        Span<byte> registers = stackalloc byte[MaxSize];
        BinaryPrimitives.WriteUInt64LittleEndian(registers, first);
        BinaryPrimitives.WriteUInt64LittleEndian(registers[8..], second);
        registers[..block.Length].CopyTo(block);
        return HvStatus.Success;
    }
}

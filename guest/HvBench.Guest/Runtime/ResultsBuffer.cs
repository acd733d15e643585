using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Guest.Runtime;

/// <summary>The results buffer the host reads back after a run (docs/guest-abi.md, "Results buffer"): at the
/// symbol <c>hvbench_results</c>, a magic, 16 counters, a sample count and the samples, all 64-bit.</summary>
public sealed class ResultsBuffer
{
    /// <summary>The symbol the host looks for.</summary>
    public const string SymbolName = "hvbench_results";
    /// <summary>"HVBRSLT1" little-endian: the buffer is valid.</summary>
    public const ulong Magic = 0x31544C5352425648;
    /// <summary>Number of counters.</summary>
    public const int CounterCount = 16;
    /// <summary>Offset of counter 0.</summary>
    public const int CountersOffset = 8;
    /// <summary>Offset of the sample count.</summary>
    public const int SampleCountOffset = CountersOffset + 8 * CounterCount;
    /// <summary>Offset of sample 0.</summary>
    public const int SamplesOffset = SampleCountOffset + 8;

    private readonly GuestBuilder _builder;

    /// <summary>Reserves the buffer with room for <paramref name="sampleCapacity"/> samples.</summary>
    public ResultsBuffer(GuestBuilder builder, int sampleCapacity)
    {
        _builder = builder;
        Capacity = sampleCapacity;
        Address = builder.Allocate(SymbolName, (ulong)(SamplesOffset + 8 * sampleCapacity), 4096);
    }

    /// <summary>Guest-physical address of the buffer.</summary>
    public ulong Address { get; }

    /// <summary>How many samples fit.</summary>
    public int Capacity { get; }

    /// <summary>Address of counter <paramref name="index"/>.</summary>
    public ulong Counter(int index) => Address + CountersOffset + 8 * (ulong)index;

    /// <summary>Address of the sample count.</summary>
    public ulong SampleCount => Address + SampleCountOffset;

    /// <summary>Address of sample 0.</summary>
    public ulong Samples => Address + SamplesOffset;

    /// <summary>Marks the buffer valid (clobbers RAX); emit once, on one VP, at the start.</summary>
    public void EmitInitialise()
    {
        var a = _builder.Asm;
        a.mov(rax, Magic);
        a.mov(__qword_ptr[Address], rax);
    }

    /// <summary>Appends <paramref name="value"/> as a sample (clobbers RAX, RDX); samples past capacity are dropped.</summary>
    public void EmitAppendSample(AssemblerRegister64 value)
    {
        var a = _builder.Asm;
        Label full = a.CreateLabel();
        a.mov(rax, __qword_ptr[SampleCount]);
        a.cmp(rax, Capacity);
        a.jae(full);
        a.mov(rdx, Samples);
        a.mov(__qword_ptr[rdx + rax * 8], value);
        a.inc(rax);
        a.mov(__qword_ptr[SampleCount], rax);
        a.Label(ref full);
    }
}

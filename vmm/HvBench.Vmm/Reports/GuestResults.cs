using HvBench.Kvm;
using HvBench.Vmm.Loaders;

namespace HvBench.Vmm.Reports;

/// <summary>What a guest left in its results buffer (docs/guest-abi.md, "Results buffer"): 16 counters and
/// latency samples, read from guest memory after the run.</summary>
public sealed record GuestResults(ulong[] Counters, ulong[] Samples)
{
    /// <summary>The symbol that marks the buffer.</summary>
    public const string SymbolName = "hvbench_results";

    private const ulong Magic = 0x31544C5352425648; // "HVBRSLT1"
    private const int CounterCount = 16;
    private const ulong SampleCountOffset = 8 + 8 * CounterCount;
    private const ulong MaxSamples = 16 << 20;

    /// <summary>Reads the buffer if the image names one and the guest marked it valid; else null.</summary>
    public static GuestResults? TryRead(GuestMemory memory, SymbolTable symbols)
    {
        if (!symbols.TryGetSymbol(SymbolName, out ImageSymbol symbol)) return null;
        ulong address = symbol.Address;
        if (!memory.Contains(address, SampleCountOffset + 8) || memory.ReadUInt64(address) != Magic) return null;
        var counters = new ulong[CounterCount];
        for (int i = 0; i < CounterCount; i++) counters[i] = memory.ReadUInt64(address + 8 + 8 * (ulong)i);
        ulong count = Math.Min(memory.ReadUInt64(address + SampleCountOffset), MaxSamples);
        ulong samplesAt = address + SampleCountOffset + 8;
        if (symbol.Size > 0) count = Math.Min(count, (symbol.Size - (SampleCountOffset + 8)) / 8);
        if (!memory.Contains(samplesAt, count * 8)) count = 0;
        var samples = new ulong[count];
        for (ulong i = 0; i < count; i++) samples[i] = memory.ReadUInt64(samplesAt + 8 * i);
        return new GuestResults(counters, samples);
    }
}

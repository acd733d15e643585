using HvBench.Guest;
using HvBench.Guest.Runtime;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Vmm.Tests.Cli;

/// <summary>A guest that fills its results buffer with known values: counters 42 and 7, samples 100, 200, 300.</summary>
internal static class ResultsGuest
{
    public static byte[] Build()
    {
        var g = new GuestBuilder();
        var results = new ResultsBuffer(g, sampleCapacity: 8);
        var start = g.Function("_start");
        g.Bind(ref start);
        var a = g.Asm;
        results.EmitInitialise();
        a.mov(__qword_ptr[results.Counter(0)], 42);
        a.mov(__qword_ptr[results.Counter(1)], 7);
        foreach (int sample in new[] { 100, 200, 300 })
        {
            a.mov(rbx, sample);
            results.EmitAppendSample(rbx);
        }
        a.xor(eax, eax);
        a.@out(0xF4, al);
        a.hlt();
        return g.BuildElf();
    }
}

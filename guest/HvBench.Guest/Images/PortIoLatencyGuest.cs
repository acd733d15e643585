using HvBench.Guest.Runtime;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Guest.Images;

/// <summary>port-io-latency: VP0 times <c>out 0x80, al</c> (a port-I/O exit handled in user space) with the TSC,
/// a number of times, storing each round trip in cycles in the results buffer; then exits 0.</summary>
public static class PortIoLatencyGuest
{
    /// <summary>Builds the image for <paramref name="iterations"/> samples.</summary>
    public static byte[] Build(int iterations)
    {
        var g = new GuestBuilder();
        var a = g.Asm;
        var results = new ResultsBuffer(g, iterations);
        var start = g.Function("_start");
        var loop = g.Function("measure_loop");
        var park = g.Function("park");
        g.Bind(ref start);
        a.test(rdi, rdi);
        a.jnz(park);
        results.EmitInitialise();
        a.xor(r12d, r12d);
        g.Bind(ref loop);
        Tsc.EmitRead(a, r8);
        a.@out(0x80, al);
        Tsc.EmitRead(a, r9);
        a.sub(r9, r8);
        results.EmitAppendSample(r9);
        a.inc(r12);
        a.cmp(r12, iterations);
        a.jb(loop);
        a.mov(al, 0);
        a.@out(0xF4, al);
        g.Bind(ref park);
        a.cli();
        a.hlt();
        a.jmp(park);
        return g.BuildElf();
    }
}

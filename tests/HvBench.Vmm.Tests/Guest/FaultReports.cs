using HvBench.Vmm.Loaders;
using HvBench.Vmm.Reports;
using HvBench.Vmm.Tests.Machines;

namespace HvBench.Vmm.Tests.Guest;

/// <summary>Helpers for the fault and assertion report tests: symbol addresses of an image and the VP's register dump.</summary>
internal static class FaultReports
{
    public static ulong AddressOf(byte[] image, string symbol, int vcpus = 2)
    {
        GuestImage parsed = GuestRun.Parse(image, 64UL << 20, vcpus);
        Assert.That(parsed.Symbols.TryGetSymbol(symbol, out ImageSymbol found), Is.True, $"no symbol {symbol}");
        return found.Address;
    }

    public static RegisterSnapshot DumpOf(RunResult result, int vp) => result.Registers.Single(r => r.VpIndex == vp);
}

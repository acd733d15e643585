using HvBench.Vmm.Tests.Machines;

namespace HvBench.Vmm.Tests.Hostile;

/// <summary>Slow HvSignalEvent and HvPostMessage calls whose input GPA is unaligned, makes the block cross a page, lies
/// past the end of RAM, on the LAPIC page, or at the top of the address space: each returns HV_STATUS_INVALID_ALIGNMENT
/// (tlfs.md section 9: the block can only be read once its GPA passed the alignment and range check), and nothing else
/// happens. In the rax convention HvSignalEvent always takes RBX and RCX as its operands (guest-abi.md), so only
/// HvPostMessage has a GPA there.</summary>
[TestFixture, Category("Kvm")]
public sealed class SlowHypercallsWithBadInputGpas
{
    private const ulong Ram = 64UL << 20;
    private const ushort SignalEvent = 0x5D, PostMessage = 0x5C;

    private static (ushort Code, ulong Gpa, string What)[] Cases(HypercallConvention convention)
    {
        ulong page = HypercallTableGuest.InputPage;
        var cases = new List<(ushort, ulong, string)>();
        foreach (ushort code in convention == HypercallConvention.Tlfs ? new[] { SignalEvent, PostMessage } : [PostMessage])
        {
            cases.Add((code, page + 1, "unaligned by 1"));
            cases.Add((code, page + 4, "unaligned by 4"));
            cases.Add((code, page + 4095, "the last byte of a page"));
            cases.Add((code, Ram, "the first byte past RAM"));
            cases.Add((code, Ram + 0x10000, "past RAM"));
            cases.Add((code, 0xFEE00000, "the LAPIC page"));
            cases.Add((code, 1UL << 52, "beyond the physical address width"));
            cases.Add((code, ulong.MaxValue & ~7UL, "the last aligned word of the address space"));
        }
        cases.Add((PostMessage, page + 4096 - 8, "a 256-byte block that crosses into the next page"));
        cases.Add((PostMessage, page + 4096 - 248, "a 256-byte block that crosses by 8 bytes"));
        cases.Add((PostMessage, Ram - 256 + 8, "a block that runs past the end of RAM"));
        return [.. cases];
    }

    [TestCase(HypercallConvention.Tlfs)]
    [TestCase(HypercallConvention.Rax)]
    [CancelAfter(60_000)]
    public void EachReturnsInvalidAlignment(HypercallConvention convention, CancellationToken token)
    {
        var cases = Cases(convention);
        HypercallRegisters[] calls = [.. cases.Select(c => convention == HypercallConvention.Tlfs
            ? new HypercallRegisters { Rax = 0xA5A5, Rbx = 0xB5B5, Rcx = c.Code, Rdx = c.Gpa, R8 = 0 }
            : new HypercallRegisters { Rax = c.Code, Rbx = c.Gpa, Rcx = 0xC5C5, Rdx = 0xD5D5, R8 = 0 })];
        // Valid blocks everywhere in the page, so that a GPA that is wrongly accepted would be visible as SUCCESS.
        ulong[] page = [.. Enumerable.Range(0, 512).Select(i => i < 256 ? 7UL : (i % 32) switch { 0 => 10UL, 1 => 1UL | 8UL << 32, _ => 0 })];
        RunResult result = GuestRun.Boot(HypercallTableGuest.Build(calls, page), timeoutSeconds: 30, token: token, memoryBytes: Ram,
            convention: convention, setup: machine =>
            {
                machine.Hyperv.AddEventPort(1, targetVp: 0, targetSint: 2, baseFlagNumber: 0, flagCount: 64);
                machine.Hyperv.AddMessagePort(4, targetVp: 0, targetSint: 3);
                machine.Hyperv.AddConnection(7, machine.Hyperv, 1);
                machine.Hyperv.AddConnection(10, machine.Hyperv, 4);
            });

        Assert.That(result.Verdict, Is.EqualTo("PASS"), HostileGuests.Describe(result));
        ulong[] values = result.Results!.Samples;
        Assert.Multiple(() =>
        {
            for (int i = 0; i < cases.Length; i++)
                Assert.That(new HvStatus((ushort)values[i]).Name, Is.EqualTo("HV_STATUS_INVALID_ALIGNMENT"),
                    $"{(cases[i].Code == SignalEvent ? "HvSignalEvent" : "HvPostMessage")} with input GPA 0x{cases[i].Gpa:x} ({cases[i].What})");
        });
        Assert.That(result.Statistics.HypercallsByStatus, Is.EqualTo(new Dictionary<string, long> { ["HV_STATUS_INVALID_ALIGNMENT"] = cases.Length }));
        Assert.That(result.Statistics.SintsAsserted, Is.Zero);
    }
}

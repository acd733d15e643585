using HvBench.Vmm.Tests.Machines;

namespace HvBench.Vmm.Tests.Hostile;

/// <summary>One VP makes 1,000 hypercalls whose registers are random (fixed seed) in the partition's convention:
/// mostly HvSignalEvent and HvPostMessage with damaged or plausible inputs, fast and slow (input GPAs aligned into a page
/// of plausible blocks, unaligned, across a page, past RAM, anywhere), and some pure noise. Every call must come back
/// with a defined status in RAX and every other register as it was, and the host's count of each status must be the
/// guest's.</summary>
[TestFixture, Category("Kvm")]
public sealed class HypercallsWithRandomRegisters
{
    private const int Calls = 1000;
    private const ulong Ram = 64UL << 20;

    private static readonly HashSet<ushort> s_definedStatuses =
    [
        HvStatus.Success.Value, HvStatus.InvalidHypercallCode.Value, HvStatus.InvalidHypercallInput.Value, HvStatus.InvalidAlignment.Value,
        HvStatus.InvalidParameter.Value, HvStatus.AccessDenied.Value, HvStatus.InvalidVpIndex.Value, HvStatus.InvalidPortId.Value,
        HvStatus.InvalidConnectionId.Value, HvStatus.InsufficientBuffers.Value, HvStatus.InvalidSynicState.Value,
    ];

    /// <summary>Event port 1 → VP0 SINT2 (64 flags, connection 7); event port 2 → VP5, which does not exist
    /// (connection 8); message port 4 → VP0 SINT3 (connection 10); connection 11 → a port nobody created.</summary>
    private static void Scenario(Machine machine)
    {
        machine.Hyperv.AddEventPort(1, targetVp: 0, targetSint: 2, baseFlagNumber: 0, flagCount: 64);
        machine.Hyperv.AddEventPort(2, targetVp: 5, targetSint: 2, baseFlagNumber: 0, flagCount: 64);
        machine.Hyperv.AddMessagePort(4, targetVp: 0, targetSint: 3);
        machine.Hyperv.AddConnection(7, machine.Hyperv, 1);
        machine.Hyperv.AddConnection(8, machine.Hyperv, 2);
        machine.Hyperv.AddConnection(10, machine.Hyperv, 4);
        machine.Hyperv.AddConnection(11, machine.Hyperv, 99);
    }

    [TestCase(HypercallConvention.Tlfs, 0x5EED1)]
    [TestCase(HypercallConvention.Rax, 0x5EED2)]
    [CancelAfter(60_000)]
    public void ReturnADefinedStatusTouchNoOtherRegisterAndAreCountedByStatus(HypercallConvention convention, int seed, CancellationToken token)
    {
        var random = new Random(seed);
        ulong[] page = PageOfInputBlocks(random);
        HypercallRegisters[] calls = [.. Enumerable.Range(0, Calls).Select(_ => RandomCall(convention, random))];
        RunResult result = GuestRun.Boot(HypercallTableGuest.Build(calls, page), timeoutSeconds: 30, token: token, memoryBytes: Ram,
            setup: Scenario, convention: convention);

        Assert.That(result.Verdict, Is.EqualTo("PASS"), HostileGuests.Describe(result));
        ulong[] values = result.Results!.Samples;
        Assert.That(values, Has.Length.EqualTo(Calls));
        var byStatus = new Dictionary<string, long>();
        for (int i = 0; i < Calls; i++)
        {
            Assert.That(values[i] >> 16, Is.Zero, $"call {i} ({Format(calls[i])}): result value 0x{values[i]:x} has bits beyond the status");
            Assert.That(s_definedStatuses, Does.Contain((ushort)values[i]), $"call {i} ({Format(calls[i])})");
            string name = new HvStatus((ushort)values[i]).Name;
            byStatus[name] = byStatus.GetValueOrDefault(name) + 1;
        }
        TestContext.Out.WriteLine($"{convention}: " + string.Join(", ", byStatus.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value}")));
        Assert.That(result.Statistics.HypercallsByStatus, Is.EquivalentTo(byStatus), "the host's counts are the guest's");
        Assert.That(byStatus, Has.Count.GreaterThanOrEqualTo(8), "the random registers reach most statuses");
        Assert.That(byStatus.Keys, Does.Contain("HV_STATUS_SUCCESS"));
    }

    /// <summary>256 HvSignalEvent blocks (qwords 0..255), then 8 HvPostMessage blocks of 256 bytes (from byte 2048).</summary>
    private static ulong[] PageOfInputBlocks(Random random)
    {
        var words = new ulong[512];
        for (int i = 0; i < 256; i++)
            words[i] = ConnectionId(random) | (ulong)FlagNumber(random) << 32 | (random.Next(8) == 0 ? (ulong)random.Next(1, 0x10000) << 48 : 0);
        for (int j = 0; j < 8; j++)
        {
            int at = 256 + 32 * j;
            uint connection = j < 4 ? 10 : (uint)ConnectionId(random);
            uint reserved = j == 5 ? 1u : 0;
            uint type = j == 6 ? 0 : j == 7 ? 0x8000_0001 : 1;
            uint size = j == 3 ? 241 : (uint)random.Next(0, 241);
            words[at] = connection | (ulong)reserved << 32;
            words[at + 1] = type | (ulong)size << 32;
            for (int k = 2; k < 32; k++) words[at + k] = (ulong)random.NextInt64();
        }
        return words;
    }

    private static HypercallRegisters RandomCall(HypercallConvention convention, Random random)
    {
        ulong Noise() => (ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63);
        int kind = random.Next(10);
        ushort code = kind switch { < 5 => 0x5D, < 8 => 0x5C, _ => (ushort)random.Next(0x10000) };
        bool fast = kind < 3 || (kind >= 8 && random.Next(2) == 0);
        ulong input = code | (fast ? 1UL << 16 : 0);
        if (random.Next(8) == 0) input |= 1UL << random.Next(17, 64);     // a reserved bit, a rep count, a variable header
        if (kind == 9) input = Noise();
        ulong gpa = Gpa(code, random);
        ulong fastBlock = ConnectionId(random) | (ulong)FlagNumber(random) << 32 | (random.Next(10) == 0 ? (ulong)random.Next(1, 0x10000) << 48 : 0);
        return convention == HypercallConvention.Tlfs
            ? new HypercallRegisters { Rax = Noise(), Rbx = Noise(), Rcx = input, Rdx = fast ? fastBlock : gpa, R8 = Noise() }
            : new HypercallRegisters
            {
                Rax = input,
                Rbx = fast ? (uint)fastBlock | (random.Next(10) == 0 ? Noise() << 32 : 0) : gpa,
                Rcx = fast ? (fastBlock >> 32) | (random.Next(10) == 0 ? Noise() << 16 : 0) : Noise(),
                Rdx = Noise(),
                R8 = Noise(),
            };
    }

    private static ulong Gpa(ushort code, Random random)
    {
        ulong page = HypercallTableGuest.InputPage;
        return random.Next(8) switch
        {
            < 3 => code == 0x5C ? page + 2048 + 256 * (ulong)random.Next(8) : page + 8 * (ulong)random.Next(256),
            3 => page + 8 * (ulong)random.Next(512) + (ulong)random.Next(1, 8),      // unaligned
            4 => page + 4096 - 8,                                                     // the last word: a post block crosses the page
            5 => Ram - 8 * (ulong)random.Next(2),                                     // at or past the end of RAM
            6 => 0xFEE00000,                                                          // the LAPIC page
            _ => (ulong)random.NextInt64() & ~7UL,
        };
    }

    private static ulong ConnectionId(Random random) => random.Next(8) switch
    {
        < 4 => 7,
        4 => 8,
        5 => (ulong)random.Next(9, 12),
        6 => (ulong)random.Next(0x1000000),
        _ => (uint)random.Next() | (uint)random.Next(2) << 31,
    };

    private static ushort FlagNumber(Random random) => random.Next(4) switch { < 2 => (ushort)random.Next(64), 2 => (ushort)random.Next(64, 100), _ => (ushort)random.Next(0x10000) };

    private static string Format(HypercallRegisters r) => $"RAX=0x{r.Rax:x} RBX=0x{r.Rbx:x} RCX=0x{r.Rcx:x} RDX=0x{r.Rdx:x} R8=0x{r.R8:x}";
}

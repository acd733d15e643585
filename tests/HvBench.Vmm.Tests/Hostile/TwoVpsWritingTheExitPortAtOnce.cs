using HvBench.Guest;
using HvBench.Vmm.Tests.Machines;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Vmm.Tests.Hostile;

/// <summary>Both VPs meet at a barrier and write different exit codes to port 0xF4 in the same instant (VPn writes
/// 10 + n). The first write to reach the exit device ends the run; the other is ignored. Twenty runs: each ends with one
/// of the two verdicts, whose reason names the VP that wrote that code.</summary>
[TestFixture, Category("Kvm")]
public sealed class TwoVpsWritingTheExitPortAtOnce
{
    private const int Runs = 20;

    [Test, CancelAfter(120_000)]
    public void TheFirstWriteDecidesAndTheReportNamesItsVp(CancellationToken token)
    {
        byte[] image = Build();
        var winners = new int[2];
        for (int run = 0; run < Runs; run++)
        {
            RunResult result = GuestRun.Boot(image, vcpus: 2, timeoutSeconds: 10, token: token);
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.GuestFailed), HostileGuests.Describe(result));
            Assert.That(result.GuestExitCode, Is.EqualTo(10u).Or.EqualTo(11u));
            int vp = (int)result.GuestExitCode!.Value - 10;
            Assert.That(result.Reason, Is.EqualTo($"guest exit code {10 + vp} (VP{vp})"));
            Assert.That(result.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
            winners[vp]++;
        }
        TestContext.Out.WriteLine($"{Runs} runs: VP0 first {winners[0]} times, VP1 first {winners[1]} times");
    }

    private static byte[] Build()
    {
        var g = new GuestBuilder();
        var a = g.Asm;
        ulong barrier = g.Allocate("barrier", 8);
        var start = g.Function("_start");
        g.Bind(ref start);
        a.mov(rax, barrier);
        a.@lock.inc(__qword_ptr[rax]);
        var wait = a.CreateLabel();
        a.Label(ref wait);
        a.cmp(__qword_ptr[rax], rsi);                    // RSI = number of VPs (guest-abi.md)
        a.jb(wait);
        a.lea(eax, __[rdi + 10]);                        // RDI = this VP's index
        a.@out(0xF4, eax);
        a.cli();
        a.hlt();
        return g.BuildElf();
    }
}

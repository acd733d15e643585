using HvBench.Guest;
using HvBench.Vmm.Devices;
using HvBench.Vmm.Tests.Machines;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Vmm.Tests.Hostile;

/// <summary>A guest that prints without end (REP OUTSB of 4 KiB to port 0xE9 in a loop, on both VPs). Its run ends at
/// the timeout like any endless loop, and the console text a run keeps is capped (16 Mi characters), so a long run
/// cannot exhaust the host's memory; what is past the cap still streams to the line callback, is counted and noted.</summary>
[TestFixture]
public sealed class AGuestFloodingTheConsole
{
    [Test, Category("Kvm"), CancelAfter(60_000)]
    public void EndsAtTheTimeoutWithWhatItPrintedUpToTheCap(CancellationToken token)
    {
        RunResult result = GuestRun.Boot(Flooder(), vcpus: 2, timeoutSeconds: 2, token: token);
        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.TimedOut), HostileGuests.Describe(result));
        long bytes = result.Statistics.Total(HvBench.Kvm.VcpuExitReason.Io); // one byte per exit on this host; more where KVM batches
        Assert.That(result.ConsoleText.Length, Is.GreaterThan(10_000).And.LessThanOrEqualTo(GuestConsole.DefaultMaxTextChars));
        Assert.That(result.ConsoleText.Replace("\n", ""), Does.Match("^x+$"), "only what the guest wrote");
        TestContext.Out.WriteLine($"{result.ConsoleText.Length:N0} characters in {result.Elapsed.TotalSeconds:0.0} s ({bytes:N0} port-I/O exits)");
    }

    [Test, Category("Unit")]
    public void KeepsTextUpToTheCapStreamsEveryLineAndSaysHowMuchWasDropped()
    {
        var lines = new List<string>();
        var console = new GuestConsole(2, lines.Add, maxTextChars: 1000);
        for (int i = 0; i < 100; i++)
        {
            foreach (byte b in "0123456789abcdefghi"u8) console.Write(i % 2, b);   // 19 characters and a newline
            console.Write(i % 2, (byte)'\n');
        }
        Assert.That(lines, Has.Count.EqualTo(100), "every line still reaches the callback");
        Assert.That(console.DroppedChars, Is.EqualTo(100 * 20 - 1000));
        Assert.That(console.Text, Does.StartWith("0123456789abcdefghi\n"));
        Assert.That(console.Text, Does.EndWith("[hvbench: 1000 more characters of console text dropped; a run keeps the first 1000]\n"));
        Assert.That(console.Text.Length, Is.LessThan(1000 + 100));
    }

    /// <summary>Fills 4 KiB with 'x', then sends it to port 0xE9 with REP OUTSB, forever.</summary>
    private static byte[] Flooder()
    {
        var g = new GuestBuilder();
        var a = g.Asm;
        ulong text = g.Allocate("text", 4096, 4096);
        var start = g.Function("_start");
        g.Bind(ref start);
        a.mov(rdi, text);
        a.mov(ecx, 4096);
        a.mov(al, (byte)'x');
        a.rep.stosb();
        var flood = g.Function("flood");
        g.Bind(ref flood);
        a.mov(rsi, text);
        a.mov(ecx, 4096);
        a.mov(edx, 0xE9);
        a.rep.outsb();
        a.jmp(flood);
        return g.BuildElf();
    }
}

using HvBench.Guest;
using HvBench.Guest.Runtime;
using HvBench.Vmm.Tests.Machines;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Vmm.Tests.Guest;

/// <summary>A console on COM1: the guest polls the UART's line status and writes THR, byte by byte.</summary>
[TestFixture, Category("Kvm")]
public sealed class AGuestPrintingToCom1
{
    [Test, CancelAfter(30_000)]
    public void ItsTextReachesTheConsole(CancellationToken token)
    {
        var g = new GuestBuilder();
        var console = new GuestConsole(g, ConsolePort.Com1);
        var start = g.Function("_start");
        g.Bind(ref start);
        console.Print("hello over COM1, VP ");
        console.PrintDecimal(rdi);
        console.Print("\n");
        Exit.EmitExit(g.Asm, 0);
        console.EmitRoutines();
        RunResult result = GuestRun.Boot(g.BuildElf(), token: token);
        Assert.That(result.Verdict, Is.EqualTo("PASS"));
        Assert.That(result.ConsoleText, Is.EqualTo("hello over COM1, VP 0\n"));
    }
}

using HvBench.Guest;
using HvBench.Guest.Runtime;
using HvBench.Vmm.Tests.Machines;
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Vmm.Tests.Guest;

/// <summary>A console on COM1: the guest polls the UART's line status and writes THR, byte by byte; the status registers
/// read what guest-abi.md and a 16550 say when nothing is pending.</summary>
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

    [Test, CancelAfter(30_000)]
    public void ItsLineStatusReadsExactly0x60AndItsInterruptIdentificationNoInterruptPending(CancellationToken token)
    {
        // The exit code carries the register's value, so a failure says what was read: 0x100 | LSR or 0x200 | IIR.
        var g = new GuestBuilder();
        var a = g.Asm;
        var start = g.Function("_start");
        Label lsrWrong = a.CreateLabel(), iirWrong = a.CreateLabel();
        g.Bind(ref start);
        a.mov(edx, GuestConsole.Com1Lsr);
        a.@in(al, dx);
        a.movzx(ecx, al);
        a.cmp(ecx, 0x60);                           // THR empty | transmitter empty, nothing else
        a.jne(lsrWrong);
        a.mov(edx, GuestConsole.Com1Thr + 2);
        a.@in(al, dx);
        a.movzx(ecx, al);
        a.cmp(ecx, 0x01);                           // IIR bit 0 set: no interrupt pending
        a.jne(iirWrong);
        Exit.EmitExit(a, 0);
        a.Label(ref lsrWrong);
        a.lea(eax, __[rcx + 0x100]);
        a.@out(Exit.Port, eax);
        a.Label(ref iirWrong);
        a.lea(eax, __[rcx + 0x200]);
        a.@out(Exit.Port, eax);
        RunResult result = GuestRun.Boot(g.BuildElf(), token: token);
        Assert.That(result.Verdict, Is.EqualTo("PASS"), $"exit code 0x{result.GuestExitCode:x}: 0x1nn is LSR = nn, 0x2nn is IIR = nn");
    }
}

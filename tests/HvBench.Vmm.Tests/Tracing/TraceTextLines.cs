using HvBench.Kvm;
using HvBench.Vmm.Loaders;
using HvBench.Vmm.Tracing;

namespace HvBench.Vmm.Tests.Tracing;

/// <summary>The <c>--trace</c> line of each kind of event.</summary>
[TestFixture, Category("Unit")]
public sealed class TraceTextLines
{
    private const long Frequency = 1_000_000_000; // ticks are nanoseconds

    private static readonly TraceLayout s_single = new([new TracePartition(1, 2, HypercallConvention.Tlfs)]);
    private static readonly TraceLayout s_two = new([new TracePartition(1, 1, HypercallConvention.Tlfs), new TracePartition(2, 1, HypercallConvention.Rax)]);

    private static string Line(TraceEvent e, TraceLayout? layout = null) => TraceTextFormatter.FormatLine(e, layout ?? s_single, Frequency);

    [Test]
    public void AnIoExitGivesTimeVpPortAndData() =>
        Assert.That(Line(new TraceEvent(1_234_567, 1, 0, TraceEventKind.Exit, VcpuExitReason.Io, 0xE9, 0x68, 0, 0)),
            Is.EqualTo("      1234.567 us  VP0  exit IO port 0xE9 data 0x68"));

    [Test]
    public void AnMsrWriteNamesTheSyntheticMsrAndValue() =>
        Assert.That(Line(new TraceEvent(2_000, 1, 1, TraceEventKind.Exit, VcpuExitReason.X86Wrmsr, 0x40000001, 0x300001, 0, 0)),
            Does.EndWith("VP1  exit WRMSR 0x40000001 HV_X64_MSR_HYPERCALL = 0x300001"));

    [Test]
    public void AFastTlfsHypercallGivesNameFastBitInputsAndStatus() =>
        Assert.That(Line(new TraceEvent(3_000, 1, 0, TraceEventKind.Hypercall, VcpuExitReason.Unknown, 0x5D, 7, 0, 0, Fast: true)),
            Does.EndWith("VP0  hypercall HvCallSignalEvent fast RDX=0x7 R8=0x0 -> HV_STATUS_SUCCESS"));

    [Test]
    public void ASlowSignalEventGivesTheConnectionAndFlagReadFromItsInputBlock() =>
        Assert.That(Line(new TraceEvent(3_000, 1, 0, TraceEventKind.Hypercall, VcpuExitReason.Unknown, 0x5D, 0x205000, 0, 0,
                Fast: false, HasSignalEventInput: true, ConnectionId: 7, FlagNumber: 3)),
            Does.EndWith("VP0  hypercall HvCallSignalEvent slow RDX=0x205000 (connection 0x7, flag 3) R8=0x0 -> HV_STATUS_SUCCESS"));

    [Test]
    public void ASlowCallWhoseBlockCouldNotBeReadShowsOnlyTheGpa() =>
        Assert.That(Line(new TraceEvent(3_000, 1, 0, TraceEventKind.Hypercall, VcpuExitReason.Unknown, 0x5D, 0x205003, 0, 4)),
            Does.EndWith("VP0  hypercall HvCallSignalEvent slow RDX=0x205003 R8=0x0 -> HV_STATUS_INVALID_ALIGNMENT"));

    [Test]
    public void ARaxHypercallNamesTheRaxConventionsRegisters() =>
        Assert.That(Line(new TraceEvent(3_000, 2, 0, TraceEventKind.Hypercall, VcpuExitReason.Unknown, 0x5D, 7, 3, 0x12), s_two),
            Does.EndWith("P2 VP0  hypercall HvCallSignalEvent slow RBX=0x7 RCX=0x3 -> HV_STATUS_INVALID_CONNECTION_ID"));

    [Test]
    public void AnUnknownCallCodeIsShownInHex() =>
        Assert.That(Line(new TraceEvent(0, 1, 0, TraceEventKind.Hypercall, VcpuExitReason.Unknown, 0x1234, 0, 0, 2)),
            Does.Contain("hypercall call 0x1234 ").And.EndWith("HV_STATUS_INVALID_HYPERCALL_CODE"));

    [Test]
    public void ASintGivesTheTargetVpAndVector() =>
        Assert.That(Line(new TraceEvent(4_000, 1, 1, TraceEventKind.Sint, VcpuExitReason.Unknown, 0x50, 0, 0, 0)),
            Does.EndWith("VP1  SINT vector 0x50 asserted on VP1"));

    [Test]
    public void ABreakpointExitGivesTheRip() =>
        Assert.That(Line(new TraceEvent(0, 1, 0, TraceEventKind.Exit, VcpuExitReason.Debug, 0x300000, 0, 0, 0)),
            Does.EndWith("exit DEBUG RIP=0x300000"));

    [Test]
    public void ABreakpointExitNamesTheSymbolAtTheRipWhenTheImageHasOne()
    {
        var symbols = new SymbolTable([new ImageSymbol("signal_peer", 0x100200, 0x40, ImageSymbolKind.Function)]);
        var layout = new TraceLayout([new TracePartition(1, 1, HypercallConvention.Tlfs, symbols)]);
        Assert.Multiple(() =>
        {
            Assert.That(Line(new TraceEvent(0, 1, 0, TraceEventKind.Exit, VcpuExitReason.Debug, 0x100214, 0, 0, 0), layout),
                Does.EndWith("exit DEBUG RIP=0x100214 <signal_peer+0x14>"));
            Assert.That(Line(new TraceEvent(0, 1, 0, TraceEventKind.Exit, VcpuExitReason.Debug, 0x100200, 0, 0, 0), layout),
                Does.EndWith("exit DEBUG RIP=0x100200 <signal_peer>"));
            Assert.That(Line(new TraceEvent(0, 1, 0, TraceEventKind.Exit, VcpuExitReason.Debug, 0x300000, 0, 0, 0), layout),
                Does.EndWith("exit DEBUG RIP=0x300000"), "no symbol covers the hypercall page");
        });
    }

    [Test]
    public void DroppedEventsAreNotedAfterTheLines()
    {
        var output = new StringWriter();
        TraceTextFormatter.Write(output, [new TraceEvent(0, 1, 0, TraceEventKind.Exit, VcpuExitReason.Hlt, 0, 0, 0, 0)], s_single, dropped: 5, Frequency);
        Assert.That(output.ToString().ReplaceLineEndings("\n"), Does.EndWith("exit HLT\ntrace: 5 more events were dropped (the buffer keeps the first 1)\n"));
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text;
using HvBench.Kvm;

namespace HvBench.Vmm.Tracing;

/// <summary>
/// <c>--trace</c> text: one line per event, formatted after the run, e.g.
/// <code>
///     1234.567 us  VP0  exit WRMSR 0x40000001 HV_X64_MSR_HYPERCALL = 0x300001
///     1300.990 us  VP0  exit DEBUG RIP=0x100234 &lt;signal_peer+0x14&gt;
///     1301.002 us  VP0  hypercall HvCallSignalEvent fast RDX=0x7 R8=0x0 -> HV_STATUS_SUCCESS
///     1302.417 us  VP0  hypercall HvCallSignalEvent slow RDX=0x205000 (connection 0x7, flag 3) R8=0x0 -> HV_STATUS_SUCCESS
///     1301.010 us  VP1  SINT vector 0x50 asserted on VP1
/// </code>
/// Time is since the run started; a SINT line is on its target VP's track. "fast" or "slow" is the input value's Fast
/// bit, which says whether the first register is the input or the input block's GPA; a slow HvSignalEvent also shows
/// the ConnectionId and FlagNumber read from that block. A RIP is followed by the image's symbol for it, if any.
/// </summary>
public static class TraceTextFormatter
{
    /// <summary>Microseconds since the start of the run for a <see cref="TraceEvent.Ticks"/> value.</summary>
    public static double Microseconds(long ticks, long frequency) => ticks * 1_000_000.0 / frequency;

    /// <summary>One event's line, without a line break.</summary>
    public static string FormatLine(in TraceEvent traceEvent, TraceLayout layout, long frequency)
    {
        var line = new StringBuilder(96);
        line.Append(CultureInfo.InvariantCulture, $"{Microseconds(traceEvent.Ticks, frequency),14:0.000} us  ");
        line.Append(layout.VpName(traceEvent.Partition, traceEvent.Vp)).Append("  ");
        AppendWhat(line, traceEvent, layout);
        return line.ToString();
    }

    /// <summary>Writes every event's line, then a note if events were dropped.</summary>
    public static void Write(TextWriter output, IReadOnlyList<TraceEvent> events, TraceLayout layout, long dropped = 0, long? frequency = null)
    {
        long ticksPerSecond = frequency ?? Stopwatch.Frequency;
        foreach (TraceEvent traceEvent in events) output.WriteLine(FormatLine(traceEvent, layout, ticksPerSecond));
        if (dropped > 0) output.WriteLine($"trace: {dropped} more events were dropped (the buffer keeps the first {events.Count})");
    }

    /// <summary>What happened, without time and VP: <c>exit IO port 0xE9 data 0x68</c>.</summary>
    public static string Describe(in TraceEvent traceEvent, TraceLayout layout)
    {
        var text = new StringBuilder(64);
        AppendWhat(text, traceEvent, layout);
        return text.ToString();
    }

    private static void AppendWhat(StringBuilder text, in TraceEvent e, TraceLayout layout)
    {
        switch (e.Kind)
        {
            case TraceEventKind.Hypercall:
            {
                var (first, second) = TraceNames.InputRegisters(layout.ConventionOf(e.Partition));
                text.Append(CultureInfo.InvariantCulture, $"hypercall {TraceNames.Hypercall(e.Detail)} {(e.Fast ? "fast" : "slow")} {first}=0x{e.Input1:X}");
                if (e.HasSignalEventInput) text.Append(CultureInfo.InvariantCulture, $" (connection 0x{e.ConnectionId:X}, flag {e.FlagNumber})");
                text.Append(CultureInfo.InvariantCulture, $" {second}=0x{e.Input2:X} -> {TraceNames.Status(e.Status)}");
                break;
            }
            case TraceEventKind.Sint:
                text.Append(CultureInfo.InvariantCulture, $"SINT vector 0x{e.Detail:X2} asserted on {layout.VpName(e.Partition, e.Vp)}");
                break;
            default:
                AppendExit(text, e, layout);
                break;
        }
    }

    private static void AppendExit(StringBuilder text, in TraceEvent e, TraceLayout layout)
    {
        text.Append("exit ").Append(TraceNames.Exit(e.Reason));
        switch (e.Reason)
        {
            case VcpuExitReason.Io:
                text.Append(CultureInfo.InvariantCulture, $" port 0x{e.Detail:X}");
                if (e.Input1 != 0) text.Append(CultureInfo.InvariantCulture, $" data 0x{e.Input1:X2}");
                break;
            case VcpuExitReason.X86Rdmsr:
            case VcpuExitReason.X86Wrmsr:
                text.Append(CultureInfo.InvariantCulture, $" 0x{e.Detail:X}");
                if (TraceNames.Msr(e.Detail) is { } name) text.Append(' ').Append(name);
                if (e.Reason == VcpuExitReason.X86Wrmsr) text.Append(CultureInfo.InvariantCulture, $" = 0x{e.Input1:X}");
                break;
            case VcpuExitReason.Debug:
                text.Append(CultureInfo.InvariantCulture, $" RIP=0x{e.Detail:X}");
                if (layout.SymbolAt(e.Partition, e.Detail) is { } symbol) text.Append(" <").Append(symbol).Append('>');
                break;
            case VcpuExitReason.Mmio:
                text.Append(CultureInfo.InvariantCulture, $" 0x{e.Detail:X}");
                break;
        }
    }
}

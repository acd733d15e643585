using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HvBench.Kvm;

namespace HvBench.Vmm.Tracing;

/// <summary>
/// Writes trace events in the Chrome trace-event format (the JSON object form: <c>{"traceEvents": [...]}</c>), which
/// Perfetto (https://ui.perfetto.dev) and chrome://tracing open. Each partition is a process (<c>pid</c> = partition
/// id) and each VP a thread (<c>tid</c> = VP index), named by <c>process_name</c> and <c>thread_name</c> metadata
/// events, so every VP is one track.
/// </summary>
/// <remarks>
/// Exits and SINTs are instant events (<c>"ph": "i"</c>, thread scope); a SINT sits on its target VP's track. A
/// hypercall is a complete event (<c>"ph": "X"</c>) that starts at the intercept exit (DEBUG or XEN) just before it on
/// the same VP and lasts until the model returned, so its width is the VMM's handling time; a hypercall with no such
/// exit before it is an instant event. Times are microseconds since the run started (<c>ts</c>, with nanosecond
/// decimals). Written with <see cref="Utf8JsonWriter"/>: streaming, and no reflection.
/// </remarks>
public static class ChromeTraceWriter
{
    /// <summary>Writes the whole trace document to <paramref name="stream"/>.</summary>
    /// <param name="stream">Where the UTF-8 JSON goes; left open.</param>
    /// <param name="events">Events in time order (<see cref="TraceBuffer.Snapshot"/>).</param>
    /// <param name="layout">The partitions and VPs, which become processes and threads.</param>
    /// <param name="dropped">Events the buffer did not keep, noted in <c>otherData</c>.</param>
    /// <param name="frequency">Ticks per second of <see cref="TraceEvent.Ticks"/> (default <see cref="Stopwatch.Frequency"/>).</param>
    public static void Write(Stream stream, IReadOnlyList<TraceEvent> events, TraceLayout layout, long dropped = 0, long? frequency = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(layout);
        long ticksPerSecond = frequency ?? Stopwatch.Frequency;
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
        json.WriteStartObject();
        json.WriteStartArray("traceEvents");
        WriteMetadata(json, layout);

        // The intercept exit last seen on each VP, the start of the hypercall that follows it.
        var pendingIntercept = new Dictionary<(ulong Partition, int Vp), long>();
        foreach (TraceEvent e in events)
        {
            var track = (e.Partition, e.Vp);
            switch (e.Kind)
            {
                case TraceEventKind.Exit:
                    if (e.Reason is VcpuExitReason.Debug or VcpuExitReason.Xen) pendingIntercept[track] = e.Ticks;
                    else pendingIntercept.Remove(track);
                    WriteExit(json, e, layout, ticksPerSecond);
                    break;
                case TraceEventKind.Hypercall:
                    long? start = pendingIntercept.Remove(track, out long exitTicks) ? exitTicks : null;
                    WriteHypercall(json, e, layout, start, ticksPerSecond);
                    break;
                case TraceEventKind.Sint:
                    WriteSint(json, e, ticksPerSecond);
                    break;
            }
        }

        json.WriteEndArray();
        json.WriteString("displayTimeUnit", "ns");
        json.WriteStartObject("otherData");
        json.WriteString("tool", "hvbench");
        json.WriteNumber("events", events.Count);
        json.WriteNumber("droppedEvents", dropped);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteMetadata(Utf8JsonWriter json, TraceLayout layout)
    {
        foreach (TracePartition partition in layout.Partitions)
        {
            WriteMetadataEvent(json, "process_name", partition.Id, 0, "name", $"partition {partition.Id}");
            WriteMetadataEvent(json, "process_sort_index", partition.Id, 0, "sort_index", (long)partition.Id);
            for (int vp = 0; vp < partition.VpCount; vp++)
            {
                WriteMetadataEvent(json, "thread_name", partition.Id, vp, "name", $"VP{vp}");
                WriteMetadataEvent(json, "thread_sort_index", partition.Id, vp, "sort_index", vp);
            }
        }
    }

    private static void WriteMetadataEvent(Utf8JsonWriter json, string name, ulong pid, int tid, string argName, string value)
    {
        StartEvent(json, name, "__metadata", "M", pid, tid);
        json.WriteStartObject("args");
        json.WriteString(argName, value);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteMetadataEvent(Utf8JsonWriter json, string name, ulong pid, int tid, string argName, long value)
    {
        StartEvent(json, name, "__metadata", "M", pid, tid);
        json.WriteStartObject("args");
        json.WriteNumber(argName, value);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteExit(Utf8JsonWriter json, in TraceEvent e, TraceLayout layout, long frequency)
    {
        string reason = TraceNames.Exit(e.Reason);
        string name = e.Reason switch
        {
            VcpuExitReason.Io => $"{reason} 0x{e.Detail:X}",
            VcpuExitReason.X86Rdmsr or VcpuExitReason.X86Wrmsr => $"{reason} {TraceNames.Msr(e.Detail) ?? $"0x{e.Detail:X}"}",
            _ => reason,
        };
        StartEvent(json, name, "exit", "i", e.Partition, e.Vp);
        json.WriteString("s", "t");
        WriteTimestamp(json, "ts", e.Ticks, frequency);
        json.WriteStartObject("args");
        json.WriteString("reason", reason);
        switch (e.Reason)
        {
            case VcpuExitReason.Io:
                json.WriteString("port", Hex(e.Detail));
                json.WriteString("data", Hex(e.Input1));
                break;
            case VcpuExitReason.X86Rdmsr:
            case VcpuExitReason.X86Wrmsr:
                json.WriteString("msr", Hex(e.Detail));
                if (e.Reason == VcpuExitReason.X86Wrmsr) json.WriteString("value", Hex(e.Input1));
                break;
            case VcpuExitReason.Debug:
                json.WriteString("rip", Hex(e.Detail));
                if (layout.SymbolAt(e.Partition, e.Detail) is { } symbol) json.WriteString("symbol", symbol);
                break;
            case VcpuExitReason.Mmio:
                json.WriteString("address", Hex(e.Detail));
                break;
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteHypercall(Utf8JsonWriter json, in TraceEvent e, TraceLayout layout, long? startTicks, long frequency)
    {
        var (first, second) = TraceNames.InputRegisters(layout.ConventionOf(e.Partition));
        StartEvent(json, TraceNames.Hypercall(e.Detail), "hypercall", startTicks is null ? "i" : "X", e.Partition, e.Vp);
        if (startTicks is long start)
        {
            WriteTimestamp(json, "ts", start, frequency);
            WriteTimestamp(json, "dur", Math.Max(0, e.Ticks - start), frequency);
        }
        else
        {
            json.WriteString("s", "t");
            WriteTimestamp(json, "ts", e.Ticks, frequency);
        }

        json.WriteStartObject("args");
        json.WriteString("callCode", $"0x{e.Detail:X4}");
        json.WriteBoolean("fast", e.Fast);
        json.WriteString(first, Hex(e.Input1));
        json.WriteString(second, Hex(e.Input2));
        if (e.HasSignalEventInput)
        {
            json.WriteString("connectionId", Hex(e.ConnectionId));
            json.WriteNumber("flagNumber", e.FlagNumber);
        }

        json.WriteString("status", TraceNames.Status(e.Status));
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteSint(Utf8JsonWriter json, in TraceEvent e, long frequency)
    {
        StartEvent(json, $"SINT vector 0x{e.Detail:X2}", "sint", "i", e.Partition, e.Vp);
        json.WriteString("s", "t");
        WriteTimestamp(json, "ts", e.Ticks, frequency);
        json.WriteStartObject("args");
        json.WriteNumber("targetVp", e.Vp);
        json.WriteString("vector", $"0x{e.Detail:X2}");
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void StartEvent(Utf8JsonWriter json, string name, string category, string phase, ulong pid, int tid)
    {
        json.WriteStartObject();
        json.WriteString("name", name);
        json.WriteString("cat", category);
        json.WriteString("ph", phase);
        json.WriteNumber("pid", pid);
        json.WriteNumber("tid", tid);
    }

    private static void WriteTimestamp(Utf8JsonWriter json, string name, long ticks, long frequency) =>
        json.WriteNumber(name, Math.Round(TraceTextFormatter.Microseconds(ticks, frequency), 3));

    private static string Hex(ulong value) => "0x" + value.ToString("X", CultureInfo.InvariantCulture);
}

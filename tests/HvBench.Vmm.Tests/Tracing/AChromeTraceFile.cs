using System.Text.Json;
using HvBench.Kvm;
using HvBench.Vmm.Loaders;
using HvBench.Vmm.Tracing;

namespace HvBench.Vmm.Tests.Tracing;

/// <summary>The Chrome trace-event JSON of a small two-VP run: valid JSON, one track per VP, fields as the format wants.</summary>
[TestFixture, Category("Unit")]
public sealed class AChromeTraceFile
{
    private const long Frequency = 1_000_000_000;

    private static JsonElement Write(IReadOnlyList<TraceEvent> events, TraceLayout layout, long dropped = 0)
    {
        using var stream = new MemoryStream();
        ChromeTraceWriter.Write(stream, events, layout, dropped, Frequency);
        return JsonDocument.Parse(stream.ToArray()).RootElement.Clone();
    }

    private static readonly SymbolTable s_symbols = new([new ImageSymbol("hypercall_page", 0x300000, 0x1000, ImageSymbolKind.Function)]);

    private static readonly TraceLayout s_layout = new([new TracePartition(1, 2, HypercallConvention.Tlfs, s_symbols)]);

    private static readonly TraceEvent[] s_events =
    [
        new(1_000, 1, 0, TraceEventKind.Exit, VcpuExitReason.X86Wrmsr, 0x40000001, 0x300001, 0, 0),
        new(2_000, 1, 0, TraceEventKind.Exit, VcpuExitReason.Debug, 0x300004, 0, 0, 0),
        new(2_500, 1, 1, TraceEventKind.Sint, VcpuExitReason.Unknown, 0x50, 0, 0, 0),
        new(3_250, 1, 0, TraceEventKind.Hypercall, VcpuExitReason.Unknown, 0x5D, 7, 0, 0, Fast: true),
        new(4_000, 1, 1, TraceEventKind.Hypercall, VcpuExitReason.Unknown, 0x5D, 0x205000, 0, 0x12,
            Fast: false, HasSignalEventInput: true, ConnectionId: 8, FlagNumber: 3),
    ];

    private static JsonElement[] Events(JsonElement root) => root.GetProperty("traceEvents").EnumerateArray().ToArray();

    [Test]
    public void NamesEveryVpAsAThreadOfItsPartitionsProcess()
    {
        JsonElement[] metadata = Events(Write(s_events, s_layout)).Where(e => e.GetProperty("ph").GetString() == "M").ToArray();
        var threads = metadata.Where(e => e.GetProperty("name").GetString() == "thread_name")
            .Select(e => (e.GetProperty("pid").GetInt32(), e.GetProperty("tid").GetInt32(), e.GetProperty("args").GetProperty("name").GetString()));
        Assert.That(threads, Is.EqualTo(new[] { (1, 0, "VP0"), (1, 1, "VP1") }));
        Assert.That(metadata.Any(e => e.GetProperty("name").GetString() == "process_name" && e.GetProperty("args").GetProperty("name").GetString() == "partition 1"));
    }

    [Test]
    public void GivesEveryEventAPhaseTimePidTidAndName()
    {
        JsonElement[] events = Events(Write(s_events, s_layout)).Where(e => e.GetProperty("ph").GetString() != "M").ToArray();
        Assert.That(events, Has.Length.EqualTo(5));
        foreach (JsonElement e in events)
        {
            Assert.That(e.GetProperty("ph").GetString(), Is.AnyOf("i", "X"));
            Assert.That(e.GetProperty("ts").GetDouble(), Is.GreaterThan(0));
            Assert.That(e.GetProperty("pid").GetInt32(), Is.EqualTo(1));
            Assert.That(e.GetProperty("tid").GetInt32(), Is.AnyOf(0, 1));
            Assert.That(e.GetProperty("name").GetString(), Is.Not.Empty);
        }
    }

    [Test]
    public void MakesAHypercallAfterItsBreakpointExitACompleteEventSpanningTheHandling()
    {
        JsonElement call = Events(Write(s_events, s_layout)).Single(e => e.GetProperty("cat").GetString() == "hypercall" && e.GetProperty("tid").GetInt32() == 0);
        Assert.Multiple(() =>
        {
            Assert.That(call.GetProperty("name").GetString(), Is.EqualTo("HvCallSignalEvent"));
            Assert.That(call.GetProperty("ph").GetString(), Is.EqualTo("X"));
            Assert.That(call.GetProperty("ts").GetDouble(), Is.EqualTo(2.0), "µs: starts at the DEBUG exit");
            Assert.That(call.GetProperty("dur").GetDouble(), Is.EqualTo(1.25));
            Assert.That(call.GetProperty("args").GetProperty("RDX").GetString(), Is.EqualTo("0x7"));
            Assert.That(call.GetProperty("args").GetProperty("fast").GetBoolean(), Is.True);
            Assert.That(call.GetProperty("args").TryGetProperty("connectionId", out _), Is.False);
            Assert.That(call.GetProperty("args").GetProperty("status").GetString(), Is.EqualTo("HV_STATUS_SUCCESS"));
        });
    }

    [Test]
    public void GivesASlowSignalEventTheConnectionAndFlagFromItsInputBlock()
    {
        JsonElement args = Events(Write(s_events, s_layout)).Single(e => e.GetProperty("cat").GetString() == "hypercall" && e.GetProperty("tid").GetInt32() == 1)
            .GetProperty("args");
        Assert.Multiple(() =>
        {
            Assert.That(args.GetProperty("fast").GetBoolean(), Is.False);
            Assert.That(args.GetProperty("RDX").GetString(), Is.EqualTo("0x205000"), "the input block's GPA");
            Assert.That(args.GetProperty("connectionId").GetString(), Is.EqualTo("0x8"));
            Assert.That(args.GetProperty("flagNumber").GetInt32(), Is.EqualTo(3));
        });
    }

    [Test]
    public void NamesTheSymbolAtABreakpointExitsRip()
    {
        JsonElement args = Events(Write(s_events, s_layout)).Single(e => e.GetProperty("name").GetString() == "DEBUG").GetProperty("args");
        Assert.That(args.GetProperty("rip").GetString(), Is.EqualTo("0x300004"));
        Assert.That(args.GetProperty("symbol").GetString(), Is.EqualTo("hypercall_page+0x4"));
    }

    [Test]
    public void MakesAHypercallWithoutAnInterceptExitAnInstant()
    {
        JsonElement call = Events(Write(s_events, s_layout)).Single(e => e.GetProperty("cat").GetString() == "hypercall" && e.GetProperty("tid").GetInt32() == 1);
        Assert.That(call.GetProperty("ph").GetString(), Is.EqualTo("i"));
        Assert.That(call.GetProperty("s").GetString(), Is.EqualTo("t"));
        Assert.That(call.GetProperty("args").GetProperty("status").GetString(), Is.EqualTo("HV_STATUS_INVALID_CONNECTION_ID"));
    }

    [Test]
    public void PutsASintOnItsTargetVpsTrack()
    {
        JsonElement sint = Events(Write(s_events, s_layout)).Single(e => e.GetProperty("cat").GetString() == "sint");
        Assert.That(sint.GetProperty("tid").GetInt32(), Is.EqualTo(1));
        Assert.That(sint.GetProperty("args").GetProperty("vector").GetString(), Is.EqualTo("0x50"));
        Assert.That(sint.GetProperty("ts").GetDouble(), Is.EqualTo(2.5));
    }

    [Test]
    public void NotesDroppedEvents() =>
        Assert.That(Write(s_events, s_layout, dropped: 9).GetProperty("otherData").GetProperty("droppedEvents").GetInt64(), Is.EqualTo(9));
}

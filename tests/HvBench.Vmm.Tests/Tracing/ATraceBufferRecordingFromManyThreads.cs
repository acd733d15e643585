using HvBench.Kvm;
using HvBench.Vmm.Tracing;

namespace HvBench.Vmm.Tests.Tracing;

/// <summary>A trace buffer fed from several threads at once, as vCPU threads do.</summary>
[TestFixture, Category("Unit")]
public sealed class ATraceBufferRecordingFromManyThreads
{
    private static TraceEvent Exit(long ticks, int vp) => new(ticks, 1, vp, TraceEventKind.Exit, VcpuExitReason.Io, 0xE9, 0, 0, 0);

    [Test]
    public void KeepsEveryEventInTimeOrder()
    {
        var buffer = new TraceBuffer(40_000);
        Parallel.For(0, 4, vp =>
        {
            for (int i = 0; i < 10_000; i++) buffer.Record(Exit(i * 4 + vp, vp));
        });
        TraceEvent[] events = buffer.Snapshot();
        Assert.That(events, Has.Length.EqualTo(40_000));
        Assert.That(events.Select(e => e.Ticks), Is.Ordered);
        Assert.That(buffer.Dropped, Is.Zero);
    }

    [Test]
    public void CountsWhatDoesNotFitAndKeepsTheFirst()
    {
        var buffer = new TraceBuffer(3);
        for (int i = 0; i < 5; i++) buffer.Record(Exit(i, 0));
        Assert.That(buffer.Snapshot().Select(e => e.Ticks), Is.EqualTo(new long[] { 0, 1, 2 }));
        Assert.That(buffer.Dropped, Is.EqualTo(2));
    }

    [Test]
    public void KeepsArrivalOrderForEventsAtTheSameTime()
    {
        var buffer = new TraceBuffer(8);
        buffer.Record(Exit(5, 0));
        buffer.Record(Exit(5, 1));
        buffer.Record(Exit(1, 2));
        Assert.That(buffer.Snapshot().Select(e => e.Vp), Is.EqualTo(new[] { 2, 0, 1 }));
    }

    [Test]
    public void RecordingAllocatesNothing()
    {
        var buffer = new TraceBuffer(20_000);
        TraceEvent e = Exit(1, 0);
        buffer.Record(e); // first call: JIT
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++) buffer.Record(e);
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }
}

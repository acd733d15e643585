namespace HvBench.Vmm.Tracing;

/// <summary>
/// A trace sink that keeps events in memory for formatting after the run (style.md section 6): one array of
/// structs allocated up front, a slot claimed per event with one <see cref="Interlocked.Increment(ref long)"/>, so
/// recording is lock-free, allocation-free and safe from every vCPU thread at once. When the array is full, later
/// events are counted in <see cref="Dropped"/> and not kept.
/// </summary>
public sealed class TraceBuffer : ITraceSink
{
    /// <summary>Events kept by default: 1 Mi events, 64 MiB of address space that is touched only as it fills.</summary>
    public const int DefaultCapacity = 1 << 20;

    private readonly TraceEvent[] _events;
    private long _claimed;

    /// <summary>Creates a buffer that keeps the first <paramref name="capacity"/> events.</summary>
    public TraceBuffer(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        // Uninitialised: the pages of a large array are only committed when events land in them.
        _events = GC.AllocateUninitializedArray<TraceEvent>(capacity);
    }

    /// <summary>How many events the buffer keeps.</summary>
    public int Capacity => _events.Length;

    /// <summary>Events kept so far.</summary>
    public int Count => (int)Math.Min(Interlocked.Read(ref _claimed), _events.Length);

    /// <summary>Events that arrived after the buffer was full.</summary>
    public long Dropped => Math.Max(0, Interlocked.Read(ref _claimed) - _events.Length);

    /// <inheritdoc/>
    public void Record(in TraceEvent traceEvent)
    {
        long slot = Interlocked.Increment(ref _claimed) - 1;
        if (slot < _events.Length) _events[slot] = traceEvent;
    }

    /// <summary>The kept events in time order (ties in arrival order). Call after the run: a slot claimed by a VP that
    /// is still recording may not be written yet.</summary>
    public TraceEvent[] Snapshot()
    {
        int count = Count;
        var events = new TraceEvent[count];
        Array.Copy(_events, events, count);
        var order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        Array.Sort(order, (a, b) =>
        {
            int byTime = events[a].Ticks.CompareTo(events[b].Ticks);
            return byTime != 0 ? byTime : a.CompareTo(b);
        });
        var sorted = new TraceEvent[count];
        for (int i = 0; i < count; i++) sorted[i] = events[order[i]];
        return sorted;
    }
}

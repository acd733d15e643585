namespace HvBench.Vmm.Tracing;

/// <summary>Receives trace events as they happen. Called on vCPU threads: keep it quick and thread-safe.</summary>
public interface ITraceSink
{
    /// <summary>One event.</summary>
    void Record(in TraceEvent traceEvent);
}

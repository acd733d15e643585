using System.Collections.Concurrent;

namespace HvBench.Hyperv.Tests.Support;

/// <summary>One SINT assertion seen by <see cref="RecordingSintSink"/>.</summary>
internal readonly record struct SintAssertion(int VpIndex, byte Vector, bool AutoEoi);

/// <summary>An <see cref="ISintSink"/> that records every assertion; safe for concurrent callers.</summary>
internal sealed class RecordingSintSink : ISintSink
{
    private readonly ConcurrentQueue<SintAssertion> _assertions = new();

    public IReadOnlyList<SintAssertion> Assertions => [.. _assertions];

    public int Count => _assertions.Count;

    public void AssertSint(int vpIndex, byte vector, bool autoEoi) => _assertions.Enqueue(new SintAssertion(vpIndex, vector, autoEoi));

    public void Clear() => _assertions.Clear();
}

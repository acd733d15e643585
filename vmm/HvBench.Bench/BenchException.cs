namespace HvBench.Bench;

/// <summary>A bench machine did not pass (its guest failed a check, faulted or timed out): the figures are not valid.</summary>
public sealed class BenchException(string message) : Exception(message);

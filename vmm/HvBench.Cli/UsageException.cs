namespace HvBench.Cli;

/// <summary>A bad command-line value; reported in one line with exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

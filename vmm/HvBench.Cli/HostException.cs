namespace HvBench.Cli;

/// <summary>The host cannot do what was asked (no KVM device, an intercept it does not offer); exit code 3.</summary>
internal sealed class HostException(string message, Exception? inner = null) : Exception(message, inner);

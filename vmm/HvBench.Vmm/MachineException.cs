namespace HvBench.Vmm;

/// <summary>The machine could not be built or run; wraps the KVM failure beneath, if any.</summary>
public sealed class MachineException : Exception
{
    /// <summary>Creates the exception with a one-line message.</summary>
    public MachineException(string message) : base(message) { }

    /// <summary>Creates the exception with a one-line message and its cause.</summary>
    public MachineException(string message, Exception inner) : base(message, inner) { }
}

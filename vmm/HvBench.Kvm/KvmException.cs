using HvBench.Kvm.Interop;

namespace HvBench.Kvm;

/// <summary>A host-side KVM or libc call failed; the message names the call and the errno.</summary>
public sealed class KvmException : Exception
{
    /// <summary>Creates the exception for a failed call.</summary>
    public KvmException(string operation, int errno)
        : base($"{operation} failed: {Sys.ErrnoName(errno)} ({errno})")
    {
        Operation = operation;
        Errno = errno;
    }

    /// <summary>Creates the exception for a call that succeeded but did not do what was asked (no errno to name).</summary>
    public KvmException(string operation, string what)
        : base($"{operation} {what}")
    {
        Operation = operation;
    }

    /// <summary>The failed call, e.g. <c>KVM_SET_USER_MEMORY_REGION</c>.</summary>
    public string Operation { get; }

    /// <summary>The errno value the kernel returned; 0 when the call itself succeeded.</summary>
    public int Errno { get; }
}

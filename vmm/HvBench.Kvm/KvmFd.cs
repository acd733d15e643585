using System.Runtime.InteropServices;
using HvBench.Kvm.Interop;

namespace HvBench.Kvm;

/// <summary>A file descriptor from /dev/kvm (system, VM or vCPU), closed when released.</summary>
public sealed class KvmFd : SafeHandle
{
    /// <summary>Takes ownership of <paramref name="fd"/>.</summary>
    public KvmFd(int fd) : base(new IntPtr(-1), ownsHandle: true) => SetHandle(new IntPtr(fd));

    /// <inheritdoc/>
    public override bool IsInvalid => handle.ToInt64() < 0;

    /// <summary>The raw descriptor, for ioctls.</summary>
    public int Value => (int)handle.ToInt64();

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => Sys.Close(Value) == 0;
}

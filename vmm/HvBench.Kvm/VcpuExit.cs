using HvBench.Kvm.Interop;

namespace HvBench.Kvm;

/// <summary>One KVM_RUN's exit, with typed views of the kvm_run page; valid until the next <see cref="Vcpu.Run"/>.</summary>
public readonly unsafe ref struct VcpuExit
{
    private readonly byte* _run;

    internal VcpuExit(byte* runPage, VcpuExitReason reason)
    {
        _run = runPage;
        Reason = reason;
    }

    /// <summary>Why KVM_RUN returned.</summary>
    public VcpuExitReason Reason { get; }

    private byte* Union => _run + KvmRunLayout.ExitUnion;

    /// <summary>The port I/O exit (valid for <see cref="VcpuExitReason.Io"/>).</summary>
    public ref KvmRunIo Io => ref *(KvmRunIo*)Union;

    /// <summary>The bytes of a port I/O exit: <c>Size * Count</c> bytes inside the run page.</summary>
    public Span<byte> IoData
    {
        get
        {
            ref KvmRunIo io = ref Io;
            // Safe: KVM places data_offset inside the kvm_run mapping it sized.
            return new Span<byte>(_run + io.DataOffset, io.Size * (int)io.Count);
        }
    }

    /// <summary>The MMIO exit (valid for <see cref="VcpuExitReason.Mmio"/>).</summary>
    public ref KvmRunMmio Mmio => ref *(KvmRunMmio*)Union;

    /// <summary>The MMIO data bytes (<c>Len</c> of them, at most 8).</summary>
    public Span<byte> MmioData => new(((KvmRunMmio*)Union)->Data, (int)Math.Min(8u, ((KvmRunMmio*)Union)->Len));

    /// <summary>The MSR exit (valid for X86Rdmsr / X86Wrmsr); set <c>Data</c> for a read, <c>Error = 1</c> for #GP.</summary>
    public ref KvmRunMsr Msr => ref *(KvmRunMsr*)Union;

    /// <summary>The debug exit (valid for <see cref="VcpuExitReason.Debug"/>).</summary>
    public ref KvmDebugExitArch Debug => ref *(KvmDebugExitArch*)Union;

    /// <summary>The internal error (valid for <see cref="VcpuExitReason.InternalError"/>).</summary>
    public ref KvmRunInternal Internal => ref *(KvmRunInternal*)Union;

    /// <summary>The failed entry (valid for <see cref="VcpuExitReason.FailEntry"/>).</summary>
    public ref KvmRunFailEntry FailEntry => ref *(KvmRunFailEntry*)Union;

    /// <summary>The system event (valid for <see cref="VcpuExitReason.SystemEvent"/>).</summary>
    public ref KvmRunSystemEvent SystemEvent => ref *(KvmRunSystemEvent*)Union;

    /// <summary>The Xen hypercall (valid for <see cref="VcpuExitReason.Xen"/>).</summary>
    public ref KvmXenExit Xen => ref *(KvmXenExit*)Union;
}

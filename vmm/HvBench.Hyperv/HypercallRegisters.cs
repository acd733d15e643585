namespace HvBench.Hyperv;

/// <summary>The general registers a hypercall reads, and RAX, which receives the result value.</summary>
/// <remarks>The VMM copies them from the vCPU (for example from <c>kvm_sync_regs</c>) and writes RAX back.</remarks>
public struct HypercallRegisters
{
    /// <summary>RAX: the result value on return; the input value in the <see cref="HypercallConvention.Rax"/> convention.</summary>
    public ulong Rax;

    /// <summary>RBX: ConnectionId or input GPA in the <see cref="HypercallConvention.Rax"/> convention.</summary>
    public ulong Rbx;

    /// <summary>RCX: the input value (TLFS) or FlagNumber / output GPA (<see cref="HypercallConvention.Rax"/>).</summary>
    public ulong Rcx;

    /// <summary>RDX: first fast input word or input GPA (TLFS).</summary>
    public ulong Rdx;

    /// <summary>R8: second fast input word or output GPA (TLFS).</summary>
    public ulong R8;
}

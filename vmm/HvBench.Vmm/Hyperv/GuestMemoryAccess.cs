using HvBench.Hyperv;
using HvBench.Kvm;

namespace HvBench.Vmm.Hyperv;

/// <summary>The Hyper-V model's view of a partition's RAM: <see cref="GuestMemory"/> behind the model's narrow interface.</summary>
internal sealed class GuestMemoryAccess(GuestMemory memory) : IGuestMemoryAccess
{
    public ulong Size => memory.Size;

    public bool TryRead(ulong gpa, Span<byte> destination) => memory.TryRead(gpa, destination);

    public bool TryWrite(ulong gpa, ReadOnlySpan<byte> source) => memory.TryWrite(gpa, source);

    public bool TryAtomicOr64(ulong gpa, ulong mask, out ulong previous) => memory.TryAtomicOr64(gpa, mask, out previous);
}

namespace HvBench.Vmm.Tests.Configuration.Setup;

/// <summary>Hyper-V model partitions without KVM: guest memory and SINTs go nowhere, enough to check what a set-up adds.</summary>
internal static class ModelPartitions
{
    public static Partition Create(ulong id, int vpCount) =>
        new(id, vpCount, PartitionPrivileges.SignalEvents | PartitionPrivileges.PostMessages, HypercallConvention.Tlfs, StatusProfile.Tlfs, new NoMemory(), new NoSints());

    private sealed class NoMemory : IGuestMemoryAccess
    {
        public ulong Size => 1 << 20;

        public bool TryRead(ulong gpa, Span<byte> destination) => false;

        public bool TryWrite(ulong gpa, ReadOnlySpan<byte> source) => false;

        public bool TryAtomicOr64(ulong gpa, ulong mask, out ulong previous)
        {
            previous = 0;
            return false;
        }
    }

    private sealed class NoSints : ISintSink
    {
        public void AssertSint(int vpIndex, byte vector, bool autoEoi) { }
    }
}

namespace HvBench.Vmm.Tests.Hostile;

/// <summary>A fresh Hyper-V model to replay what a guest did, so a test can say exactly which accesses must fault:
/// RAM of the guest's size whose bytes are never kept (reads give zeros), and SINTs that go nowhere.</summary>
internal static class ModelReplay
{
    public static Partition NewPartition(ulong memoryBytes, int vpCount = 1, HypercallConvention convention = HypercallConvention.Tlfs) =>
        new(1, vpCount, PartitionPrivileges.SignalEvents | PartitionPrivileges.PostMessages, convention, StatusProfile.Tlfs, new AddressOnlyMemory(memoryBytes), new NoSints());

    private sealed class AddressOnlyMemory(ulong size) : IGuestMemoryAccess
    {
        public ulong Size => size;

        public bool TryRead(ulong gpa, Span<byte> destination)
        {
            if (!Inside(gpa, (ulong)destination.Length)) return false;
            destination.Clear();
            return true;
        }

        public bool TryWrite(ulong gpa, ReadOnlySpan<byte> source) => Inside(gpa, (ulong)source.Length);

        public bool TryAtomicOr64(ulong gpa, ulong mask, out ulong previous)
        {
            previous = 0;
            return (gpa & 7) == 0 && Inside(gpa, 8);
        }

        private bool Inside(ulong gpa, ulong length) => gpa <= size && length <= size - gpa;
    }

    private sealed class NoSints : ISintSink
    {
        public void AssertSint(int vpIndex, byte vector, bool autoEoi) { }
    }
}

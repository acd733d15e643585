using System.Runtime.InteropServices;
using System.Text;
using HvBench.Kvm.Interop;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace HvBench.Kvm;

/// <summary>Reads KVM's binary statistics (KVM_GET_STATS_FD): a header, descriptors with names, and
/// 64-bit values (Documentation/virt/kvm/api.rst, "KVM_GET_STATS_FD").</summary>
internal static unsafe class BinaryStats
{
    [StructLayout(LayoutKind.Sequential)]
    private struct Header
    {
        public uint Flags, NameSize, NumDesc, IdOffset, DescOffset, DataOffset;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Descriptor
    {
        public uint Flags;
        public short Exponent;
        public ushort Size;
        public uint Offset, BucketSize;
    }

    public static ulong? Read(int vcpuFd, string name)
    {
        int fd = Sys.TryIoctl(vcpuFd, KvmIoctls.GetStatsFd, null);
        if (fd < 0) return null;
        try
        {
            Header header;
            if (pread(fd, &header, (size_t)sizeof(Header), 0) != sizeof(Header)) return null;
            int descSize = sizeof(Descriptor) + (int)header.NameSize;
            byte[] descriptors = new byte[descSize * (int)header.NumDesc];
            fixed (byte* d = descriptors)
            {
                if (pread(fd, d, (size_t)descriptors.Length, header.DescOffset) != descriptors.Length) return null;
                for (int i = 0; i < header.NumDesc; i++)
                {
                    byte* entry = d + i * descSize;
                    var nameBytes = new ReadOnlySpan<byte>(entry + sizeof(Descriptor), (int)header.NameSize);
                    int end = nameBytes.IndexOf((byte)0);
                    if (end < 0) end = nameBytes.Length;
                    if (Encoding.ASCII.GetString(nameBytes[..end]) != name) continue;
                    ulong value;
                    var desc = (Descriptor*)entry;
                    if (pread(fd, &value, 8, header.DataOffset + desc->Offset) != 8) return null;
                    return value;
                }
            }
            return null;
        }
        finally
        {
            close(fd);
        }
    }
}

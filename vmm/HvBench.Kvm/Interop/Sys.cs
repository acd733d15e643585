using System.Diagnostics.CodeAnalysis;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace HvBench.Kvm.Interop;

/// <summary>The one call path for ioctls and the other libc calls HvBench makes.</summary>
internal static unsafe class Sys
{
    /// <summary>Runs an ioctl and returns its result, or throws <see cref="KvmException"/> naming it.</summary>
    public static int Ioctl(int fd, int request, void* arg, string name)
    {
        int result = ioctl(fd, request, arg);
        if (result < 0)
        {
            int error = errno; // read at once: any later P/Invoke overwrites it (dotnet-facts.md pitfall 3)
            ThrowIoctlFailed(name, error);
        }
        return result;
    }

    /// <summary>Runs an ioctl whose argument is an integer value (not a pointer).</summary>
    public static int Ioctl(int fd, int request, ulong arg, string name) => Ioctl(fd, request, (void*)arg, name);

    /// <summary>Runs an ioctl and returns the result or <c>-errno</c>, without throwing (hot paths, probes).</summary>
    public static int TryIoctl(int fd, int request, void* arg)
    {
        int result = ioctl(fd, request, arg);
        return result < 0 ? -errno : result;
    }

    [DoesNotReturn]
    public static void ThrowIoctlFailed(string name, int error) => throw new KvmException(name, error);

    public static int Open(string path, int flags)
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(path + '\0');
        fixed (byte* p = bytes)
        {
            int fd = open(p, flags, default);
            if (fd < 0)
            {
                int error = errno;
                throw new KvmException($"open({path})", error);
            }
            return fd;
        }
    }

    public static int Close(int fd) => close(fd);

    /// <summary>The file type of <paramref name="path"/> from <c>statx(AT_FDCWD, path, 0, STATX_TYPE)</c>.</summary>
    /// <remarks>statx is called directly: Tmds.LibC's <c>stat</c> goes through <c>__xstat</c>, which glibc 2.33 and
    /// later keep only as a compatibility symbol.</remarks>
    public static HostFileKind FileKind(string path)
    {
        const int AtFdCwd = -100;           // AT_FDCWD, linux/fcntl.h
        const uint StatxType = 0x0001;      // STATX_TYPE, linux/stat.h
        const int StructStatxSize = 256;    // sizeof(struct statx), linux/stat.h
        const int StxModeOffset = 28;       // offsetof(struct statx, stx_mode), a __u16
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(path + '\0');
        byte* buffer = stackalloc byte[StructStatxSize];
        int result;
        int error;
        // Safe because the path is a NUL-terminated copy pinned for the call and the kernel writes at most
        // sizeof(struct statx) bytes into the stack buffer.
        fixed (byte* p = bytes)
        {
            result = statx(AtFdCwd, p, 0, StatxType, buffer);
            error = System.Runtime.InteropServices.Marshal.GetLastPInvokeError(); // read at once (dotnet-facts.md pitfall 3)
        }

        if (result < 0) return error is 2 or 20 ? HostFileKind.Missing : HostFileKind.Unknown; // ENOENT, ENOTDIR
        // Safe because statx succeeded and filled the 256-byte buffer, which holds stx_mode at offset 28.
        int type = *(ushort*)(buffer + StxModeOffset) & 0xF000; // S_IFMT
        return type switch
        {
            0x8000 => HostFileKind.Regular,          // S_IFREG
            0x4000 => HostFileKind.Directory,        // S_IFDIR
            0x1000 => HostFileKind.Fifo,             // S_IFIFO
            0x2000 => HostFileKind.CharacterDevice,  // S_IFCHR
            0x6000 => HostFileKind.BlockDevice,      // S_IFBLK
            0xC000 => HostFileKind.Socket,           // S_IFSOCK
            _ => HostFileKind.Unknown,
        };
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int statx(int dirfd, byte* pathname, int flags, uint mask, byte* statxbuf);

    public static string ErrnoName(int error) => error switch
    {
        1 => "EPERM", 2 => "ENOENT", 4 => "EINTR", 5 => "EIO", 9 => "EBADF", 11 => "EAGAIN", 12 => "ENOMEM",
        13 => "EACCES", 14 => "EFAULT", 16 => "EBUSY", 17 => "EEXIST", 19 => "ENODEV", 22 => "EINVAL",
        24 => "EMFILE", 25 => "ENOTTY", 95 => "EOPNOTSUPP", 7 => "E2BIG", 6 => "ENXIO", 28 => "ENOSPC",
        _ => "errno",
    };
}

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

    public static string ErrnoName(int error) => error switch
    {
        1 => "EPERM", 2 => "ENOENT", 4 => "EINTR", 5 => "EIO", 9 => "EBADF", 11 => "EAGAIN", 12 => "ENOMEM",
        13 => "EACCES", 14 => "EFAULT", 16 => "EBUSY", 17 => "EEXIST", 19 => "ENODEV", 22 => "EINVAL",
        24 => "EMFILE", 25 => "ENOTTY", 95 => "EOPNOTSUPP", 7 => "E2BIG", 6 => "ENXIO", 28 => "ENOSPC",
        _ => "errno",
    };
}

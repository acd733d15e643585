using HvBench.Kvm.Interop;

namespace HvBench.Kvm;

/// <summary>Asks the host what a path is before anything opens it: opening a FIFO blocks until a writer comes, and
/// reading a device such as /dev/zero never ends, so input files are checked with <c>statx</c> first.</summary>
public static class HostFile
{
    /// <summary>The kind of file <paramref name="path"/> names, following symbolic links.</summary>
    public static HostFileKind KindOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.Length == 0 || path.Contains('\0') ? HostFileKind.Missing : Sys.FileKind(path);
    }

    /// <summary>How a message names a kind of file: "a FIFO", "a character device", …</summary>
    public static string Describe(HostFileKind kind) => kind switch
    {
        HostFileKind.Regular => "a regular file",
        HostFileKind.Directory => "a directory",
        HostFileKind.Fifo => "a FIFO (named pipe)",
        HostFileKind.CharacterDevice => "a character device",
        HostFileKind.BlockDevice => "a block device",
        HostFileKind.Socket => "a socket",
        HostFileKind.Missing => "missing",
        _ => "of unknown kind",
    };
}

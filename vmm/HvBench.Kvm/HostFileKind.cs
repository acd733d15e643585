namespace HvBench.Kvm;

/// <summary>What a path names on the host, from the <c>S_IFMT</c> bits of <c>statx</c>'s <c>stx_mode</c> (symbolic links followed).</summary>
public enum HostFileKind
{
    /// <summary>Nothing there (<c>ENOENT</c>, <c>ENOTDIR</c>).</summary>
    Missing,
    /// <summary><c>S_IFREG</c>.</summary>
    Regular,
    /// <summary><c>S_IFDIR</c>.</summary>
    Directory,
    /// <summary><c>S_IFIFO</c>: a named pipe, or a pipe such as a shell's <c>&lt;(…)</c>.</summary>
    Fifo,
    /// <summary><c>S_IFCHR</c>, e.g. /dev/zero.</summary>
    CharacterDevice,
    /// <summary><c>S_IFBLK</c>.</summary>
    BlockDevice,
    /// <summary><c>S_IFSOCK</c>.</summary>
    Socket,
    /// <summary><c>statx</c> failed for another reason (e.g. <c>EACCES</c> on a directory in the path); opening the file will say why.</summary>
    Unknown,
}

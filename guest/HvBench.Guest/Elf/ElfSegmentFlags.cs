namespace HvBench.Guest.Elf;

/// <summary>Access rights of a loadable segment; the values are the ELF <c>PF_*</c> bits of <c>p_flags</c>.</summary>
[Flags]
public enum ElfSegmentFlags : uint
{
    /// <summary>No access.</summary>
    None = 0,

    /// <summary>Executable, <c>PF_X</c>.</summary>
    Execute = 1,

    /// <summary>Writable, <c>PF_W</c>.</summary>
    Write = 2,

    /// <summary>Readable, <c>PF_R</c>.</summary>
    Read = 4,

    /// <summary>Code: readable and executable.</summary>
    ReadExecute = Read | Execute,

    /// <summary>Data: readable and writable.</summary>
    ReadWrite = Read | Write,
}

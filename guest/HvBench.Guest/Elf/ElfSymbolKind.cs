namespace HvBench.Guest.Elf;

/// <summary>What a symbol names; written as the ELF <c>STT_*</c> type in <c>st_info</c>.</summary>
public enum ElfSymbolKind
{
    /// <summary>Code, <c>STT_FUNC</c>.</summary>
    Function,

    /// <summary>Data, <c>STT_OBJECT</c>.</summary>
    Object,
}

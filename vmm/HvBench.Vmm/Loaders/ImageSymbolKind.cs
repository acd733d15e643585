namespace HvBench.Vmm.Loaders;

/// <summary>What a symbol names; mirrors the ELF <c>STT_*</c> types the loader keeps.</summary>
public enum ImageSymbolKind
{
    /// <summary>Unspecified, <c>STT_NOTYPE</c> (typically an assembler label).</summary>
    NoType,

    /// <summary>Data, <c>STT_OBJECT</c>.</summary>
    Object,

    /// <summary>Code, <c>STT_FUNC</c>.</summary>
    Function,
}

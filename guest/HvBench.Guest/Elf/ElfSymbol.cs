namespace HvBench.Guest.Elf;

/// <summary>A named address written to <c>.symtab</c>; the VMM uses it to name addresses in traces and fault reports.</summary>
/// <param name="Name">Symbol name: not empty, no NUL character.</param>
/// <param name="Address">Guest address (virtual = physical) of the first byte.</param>
/// <param name="Size">Size in bytes, or 0 when unknown (a label).</param>
/// <param name="Kind">Function or object.</param>
public readonly record struct ElfSymbol(string Name, ulong Address, ulong Size, ElfSymbolKind Kind);

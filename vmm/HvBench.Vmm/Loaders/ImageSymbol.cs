namespace HvBench.Vmm.Loaders;

/// <summary>A named guest address from the image's <c>.symtab</c>.</summary>
/// <param name="Name">Symbol name.</param>
/// <param name="Address">Guest address of the first byte (<c>st_value</c>).</param>
/// <param name="Size">Size in bytes (<c>st_size</c>); 0 when unknown.</param>
/// <param name="Kind">Function, object or untyped label.</param>
public readonly record struct ImageSymbol(string Name, ulong Address, ulong Size, ImageSymbolKind Kind);

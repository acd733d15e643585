namespace HvBench.Vmm.Loaders;

/// <summary>A loaded, validated guest image: what to copy into RAM, where to start, and the names of addresses.</summary>
public sealed class GuestImage
{
    /// <summary>Creates an image; <see cref="ImageLoader"/> is the usual way, which also checks placement.</summary>
    /// <param name="entry">Guest address where every VP starts.</param>
    /// <param name="segments">Segments to load, sorted by address and not overlapping.</param>
    /// <param name="symbols">Symbol names for traces and fault reports.</param>
    /// <param name="format">The file format the image came from.</param>
    /// <param name="sourceName">File name (or other label) used in messages.</param>
    public GuestImage(ulong entry, IReadOnlyList<ImageSegment> segments, SymbolTable symbols, GuestImageFormat format, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(symbols);
        ArgumentNullException.ThrowIfNull(sourceName);
        Entry = entry;
        Segments = segments;
        Symbols = symbols;
        Format = format;
        SourceName = sourceName;
    }

    /// <summary>Guest address where every VP starts (<c>e_entry</c>, or the load address of a flat image).</summary>
    public ulong Entry { get; }

    /// <summary>Segments to copy into guest RAM, sorted by <see cref="ImageSegment.Gpa"/>.</summary>
    public IReadOnlyList<ImageSegment> Segments { get; }

    /// <summary>Names of guest addresses, from <c>.symtab</c>; empty for flat images and stripped ELF files.</summary>
    public SymbolTable Symbols { get; }

    /// <summary>The format the image was read as.</summary>
    public GuestImageFormat Format { get; }

    /// <summary>File name (or other label) the image came from, as used in messages.</summary>
    public string SourceName { get; }
}

using System.Diagnostics.CodeAnalysis;

namespace HvBench.Vmm.Loaders;

/// <summary>Names guest addresses as <c>symbol+offset</c> for traces and fault reports, by binary search over symbols sorted by address.</summary>
/// <remarks>
/// A symbol with a size covers exactly <c>[address, address + size)</c>. A symbol without one (an
/// assembler label) covers everything up to the next symbol, but never past the end of the sized
/// symbol it sits in: a label inside a function does not claim the bytes after that function.
/// An address inside nested symbols gets the innermost one. Where several symbols share an address,
/// lookups use one of them: a function before an object before an untyped label, then the larger
/// size, then the ordinally smaller name; <see cref="TryGetSymbol"/> still finds every name.
/// </remarks>
public sealed class SymbolTable
{
    private readonly ImageSymbol[] _all;
    private readonly ulong[] _addresses;
    private readonly ulong[] _ends;
    private readonly int[] _enclosing;
    private readonly string[] _names;
    private readonly Dictionary<string, ImageSymbol> _byName;

    /// <summary>Builds the table; symbols may come in any order.</summary>
    /// <param name="symbols">Symbols to index; entries with an empty name are ignored.</param>
    public SymbolTable(IEnumerable<ImageSymbol> symbols)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        var all = new List<ImageSymbol>();
        foreach (ImageSymbol s in symbols)
        {
            if (!string.IsNullOrEmpty(s.Name))
            {
                all.Add(s);
            }
        }

        all.Sort(static (a, b) =>
        {
            int c = a.Address.CompareTo(b.Address);
            return c != 0 ? c : string.CompareOrdinal(a.Name, b.Name);
        });
        _all = [.. all];

        _byName = new Dictionary<string, ImageSymbol>(StringComparer.Ordinal);
        foreach (ImageSymbol s in _all)
        {
            // The lowest address wins for a duplicated name (e.g. two local labels called "loop").
            _byName.TryAdd(s.Name, s);
        }

        // One representative per address keeps the search array strictly increasing.
        var chosen = new List<ImageSymbol>(_all.Length);
        foreach (ImageSymbol s in _all)
        {
            if (chosen.Count > 0 && chosen[^1].Address == s.Address)
            {
                if (IsPreferred(s, chosen[^1]))
                {
                    chosen[^1] = s;
                }
            }
            else
            {
                chosen.Add(s);
            }
        }

        int n = chosen.Count;
        _addresses = new ulong[n];
        _ends = new ulong[n];
        _enclosing = new int[n];
        _names = new string[n];
        for (int i = 0; i < n; i++)
        {
            _addresses[i] = chosen[i].Address;
            _names[i] = chosen[i].Name;
        }

        // _enclosing[i] is the innermost earlier symbol whose range contains symbol i's address (or
        // -1). Every symbol that contains an address past symbol i also contains symbol i's address,
        // so following this chain from the nearest symbol below an address finds its innermost
        // container without scanning the whole table.
        for (int i = 0; i < n; i++)
        {
            int j = i - 1;
            while (j >= 0 && _ends[j] <= _addresses[i])
            {
                j = _enclosing[j];
            }

            _enclosing[i] = j;
            ulong size = chosen[i].Size;
            if (size > 0)
            {
                // Saturates for a symbol that ends the address space; only address 2^64-1 is lost.
                _ends[i] = size > ulong.MaxValue - _addresses[i] ? ulong.MaxValue : _addresses[i] + size;
            }
            else
            {
                ulong next = i + 1 < n ? _addresses[i + 1] : ulong.MaxValue;
                _ends[i] = j >= 0 ? Math.Min(next, _ends[j]) : next;
            }
        }
    }

    /// <summary>A table with no symbols, for flat images and stripped ELF files.</summary>
    public static SymbolTable Empty { get; } = new([]);

    /// <summary>Number of symbols, counting every name at a shared address.</summary>
    public int Count => _all.Length;

    /// <summary>All symbols, sorted by address, then name.</summary>
    public IReadOnlyList<ImageSymbol> Symbols => _all;

    /// <summary>Finds the symbol covering <paramref name="address"/> and the byte offset into it; does not allocate.</summary>
    /// <param name="address">Guest address to name, e.g. a faulting RIP.</param>
    /// <param name="name">The covering symbol's name, or null when no symbol covers the address.</param>
    /// <param name="offset">Bytes from the symbol's start to <paramref name="address"/>.</param>
    /// <returns>Whether a symbol covers the address.</returns>
    public bool TryFind(ulong address, [MaybeNullWhen(false)] out string name, out ulong offset)
    {
        // Index of the last symbol starting at or below the address.
        int i = Array.BinarySearch(_addresses, address);
        if (i < 0)
        {
            i = ~i - 1;
        }

        for (; i >= 0; i = _enclosing[i])
        {
            if (address < _ends[i])
            {
                name = _names[i];
                offset = address - _addresses[i];
                return true;
            }
        }

        name = null;
        offset = 0;
        return false;
    }

    /// <summary>Finds a symbol by exact name; for a duplicated name, the one with the lowest address.</summary>
    /// <param name="name">Symbol name, compared ordinally.</param>
    /// <param name="symbol">The symbol, if found.</param>
    /// <returns>Whether the name exists.</returns>
    public bool TryGetSymbol(string name, out ImageSymbol symbol) => _byName.TryGetValue(name, out symbol);

    /// <summary>Formats an address for a report: <c>name+0x12</c>, <c>name</c> at offset 0, or <c>0x100012</c> when no symbol covers it.</summary>
    /// <param name="address">Guest address to describe.</param>
    /// <returns>The description.</returns>
    public string Describe(ulong address) =>
        !TryFind(address, out string? name, out ulong offset) ? $"0x{address:x}"
        : offset == 0 ? name
        : $"{name}+0x{offset:x}";

    // Ranks symbols sharing an address: the one a reader most likely means is code, then data,
    // then a bare label; a known extent beats an unknown one.
    private static bool IsPreferred(ImageSymbol candidate, ImageSymbol current)
    {
        int c = Rank(candidate.Kind).CompareTo(Rank(current.Kind));
        if (c == 0)
        {
            c = candidate.Size.CompareTo(current.Size);
        }

        // Equal rank and size: keep the current one, which has the ordinally smaller name.
        return c > 0;
    }

    private static int Rank(ImageSymbolKind kind) => kind switch
    {
        ImageSymbolKind.Function => 2,
        ImageSymbolKind.Object => 1,
        _ => 0,
    };
}

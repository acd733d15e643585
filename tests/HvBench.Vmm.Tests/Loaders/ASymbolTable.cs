using HvBench.Vmm.Loaders;

namespace HvBench.Vmm.Tests.Loaders;

[TestFixture]
[Category("Unit")]
public sealed class ASymbolTable
{
    // main [0x1000, 0x1100) holds a label .loop, a nested object and a closing label tail;
    // helper [0x2000, 0x2010) is followed by a gap; end_label is last and unsized.
    private static readonly ImageSymbol[] s_symbols =
    [
        new("helper", 0x2000, 0x10, ImageSymbolKind.Function),
        new("main", 0x1000, 0x100, ImageSymbolKind.Function),
        new("main_alias", 0x1000, 0, ImageSymbolKind.NoType),
        new(".loop", 0x1020, 0, ImageSymbolKind.NoType),
        new("inner", 0x1040, 0x10, ImageSymbolKind.Object),
        new("tail", 0x10F0, 0, ImageSymbolKind.NoType),
        new("end_label", 0x3000, 0, ImageSymbolKind.NoType),
    ];

    private readonly SymbolTable _table = new(s_symbols);

    [TestCase(0x1000UL, "main", 0x0UL)]
    [TestCase(0x1010UL, "main", 0x10UL)]
    [TestCase(0x2008UL, "helper", 0x8UL)]
    public void NamesAnAddressInsideASizedSymbol(ulong address, string name, ulong offset) => AssertFinds(address, name, offset);

    [Test]
    public void LetsALabelCoverUpToTheNextSymbol() => AssertFinds(0x1030, ".loop", 0x10);

    [Test]
    public void NamesTheInnermostOfNestedSymbols() => AssertFinds(0x1045, "inner", 0x5);

    [Test]
    public void FallsBackToTheEnclosingSymbolPastANestedOne() => AssertFinds(0x1050, "main", 0x50);

    [Test]
    public void StopsALabelAtTheEndOfTheFunctionItSitsIn()
    {
        AssertFinds(0x10FF, "tail", 0xF);
        Assert.That(_table.TryFind(0x1100, out _, out _), Is.False);
    }

    [Test]
    public void FindsNothingInTheGapAfterASizedSymbol() => Assert.That(_table.TryFind(0x2010, out _, out _), Is.False);

    [Test]
    public void FindsNothingBelowTheFirstSymbol() => Assert.That(_table.TryFind(0xFFF, out _, out _), Is.False);

    [Test]
    public void LetsTheLastLabelCoverEverythingAfterIt() => AssertFinds(0x3000_0000, "end_label", 0x3000_0000 - 0x3000);

    [Test]
    public void PrefersTheSizedFunctionAmongSymbolsAtOneAddress() => AssertFinds(0x1001, "main", 1);

    [Test]
    public void StillFindsEveryNameIncludingAliases()
    {
        Assert.That(_table.Count, Is.EqualTo(s_symbols.Length));
        Assert.That(_table.TryGetSymbol("main_alias", out ImageSymbol alias), Is.True);
        Assert.That(alias.Address, Is.EqualTo(0x1000UL));
        Assert.That(_table.TryGetSymbol("nothing", out _), Is.False);
    }

    [Test]
    public void ListsSymbolsByAddressThenName()
    {
        Assert.That(_table.Symbols.Select(s => s.Name),
            Is.EqualTo(new[] { "main", "main_alias", ".loop", "inner", "tail", "helper", "end_label" }));
    }

    [Test]
    public void DescribesAddressesForReports()
    {
        Assert.That(_table.Describe(0x1000), Is.EqualTo("main"));
        Assert.That(_table.Describe(0x1050), Is.EqualTo("main+0x50"));
        Assert.That(_table.Describe(0x2010), Is.EqualTo("0x2010"));
    }

    [Test]
    public void FindsNothingWhenEmpty()
    {
        Assert.That(SymbolTable.Empty.TryFind(0x1000, out string? name, out ulong offset), Is.False);
        Assert.That(name, Is.Null);
        Assert.That(offset, Is.Zero);
    }

    [Test]
    public void DoesNotAllocateOnLookup()
    {
        _table.TryFind(0x1050, out _, out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (ulong a = 0xF00; a < 0x3100; a++)
        {
            _table.TryFind(a, out _, out _);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    [Test]
    public void AgreesWithALinearScanOnRandomSymbols()
    {
        var random = new Random(7);
        for (int round = 0; round < 200; round++)
        {
            var symbols = new List<ImageSymbol>();
            int count = random.Next(0, 30);
            for (int i = 0; i < count; i++)
            {
                ulong size = random.Next(3) == 0 ? 0 : (ulong)random.Next(1, 0x80);
                symbols.Add(new ImageSymbol($"s{i}", (ulong)random.Next(0x100, 0x400), size, (ImageSymbolKind)random.Next(3)));
            }

            var table = new SymbolTable(symbols);
            var reference = new LinearSymbolTable(table);
            for (ulong a = 0xF0; a < 0x500; a++)
            {
                bool found = table.TryFind(a, out string? name, out ulong offset);
                bool expected = reference.TryFind(a, out string? expectedName, out ulong expectedOffset);
                Assert.That((found, name, offset), Is.EqualTo((expected, expectedName, expectedOffset)), $"round {round}, address 0x{a:x}");
            }
        }
    }

    private void AssertFinds(ulong address, string name, ulong offset)
    {
        Assert.That(_table.TryFind(address, out string? foundName, out ulong foundOffset), Is.True, $"0x{address:x}");
        Assert.That((foundName, foundOffset), Is.EqualTo((name, offset)), $"0x{address:x}");
    }

    /// <summary>The documented rule, computed the slow way: O(n) per lookup, no enclosing chains.</summary>
    private sealed class LinearSymbolTable
    {
        private readonly List<(string Name, ulong Address, ulong End)> _ranges = [];

        public LinearSymbolTable(SymbolTable table)
        {
            // One symbol per address, chosen as the table does: function > object > label, then size.
            var chosen = table.Symbols
                .GroupBy(s => s.Address)
                .Select(g => g.OrderByDescending(s => s.Kind switch { ImageSymbolKind.Function => 2, ImageSymbolKind.Object => 1, _ => 0 })
                    .ThenByDescending(s => s.Size).ThenBy(s => s.Name, StringComparer.Ordinal).First())
                .OrderBy(s => s.Address)
                .ToList();
            for (int i = 0; i < chosen.Count; i++)
            {
                ImageSymbol s = chosen[i];
                ulong end;
                if (s.Size > 0)
                {
                    end = s.Address + s.Size;
                }
                else
                {
                    end = i + 1 < chosen.Count ? chosen[i + 1].Address : ulong.MaxValue;
                    int container = Innermost(s.Address);
                    if (container >= 0)
                    {
                        end = Math.Min(end, _ranges[container].End);
                    }
                }

                _ranges.Add((s.Name, s.Address, end));
            }
        }

        public bool TryFind(ulong address, out string? name, out ulong offset)
        {
            int i = Innermost(address);
            name = i >= 0 ? _ranges[i].Name : null;
            offset = i >= 0 ? address - _ranges[i].Address : 0;
            return i >= 0;
        }

        // The covering range that starts last is the innermost one.
        private int Innermost(ulong address)
        {
            int best = -1;
            for (int i = 0; i < _ranges.Count; i++)
            {
                if (_ranges[i].Address <= address && address < _ranges[i].End)
                {
                    best = i;
                }
            }

            return best;
        }
    }
}

using ELFSharp.ELF;
using ELFSharp.ELF.Sections;
using ELFSharp.ELF.Segments;
using HvBench.Guest.Elf;
using HvBench.Vmm.Loaders;

namespace HvBench.Vmm.Tests.Loaders;

[TestFixture]
[Category("Unit")]
public sealed class AnImageWrittenAndLoadedBack
{
    private byte[] _bytes = null!;
    private GuestImage _image = null!;

    [SetUp]
    public void WriteAndLoad()
    {
        _bytes = TestImages.Sample();
        _image = TestImages.Parse(_bytes, "images/sample.elf");
    }

    [Test]
    public void IsAnElfImageNamedAfterItsSource()
    {
        Assert.That(_image.Format, Is.EqualTo(GuestImageFormat.Elf64));
        Assert.That(_image.SourceName, Is.EqualTo("images/sample.elf"));
    }

    [Test]
    public void KeepsTheEntryPoint() => Assert.That(_image.Entry, Is.EqualTo(TestImages.CodeAddress));

    [Test]
    public void PlacesEachSegmentAtItsAddressInOrder()
    {
        Assert.That(_image.Segments.Select(s => s.Gpa), Is.EqualTo(new[] { TestImages.CodeAddress, TestImages.DataAddress, TestImages.BssAddress }));
        Assert.That(_image.Segments[0].Data, Is.EqualTo(TestImages.Code));
        Assert.That(_image.Segments[1].Data, Is.EqualTo(TestImages.Data));
        Assert.That(_image.Segments[2].Data, Is.Empty);
    }

    [Test]
    public void KeepsTheZeroFilledSizeOfEachSegment()
    {
        Assert.That(_image.Segments.Select(s => s.MemorySize), Is.EqualTo(new ulong[] { (ulong)TestImages.Code.Length, 0x3000, 0x2000 }));
    }

    [Test]
    public void MarksOnlyTheCodeSegmentExecutable()
    {
        Assert.That(_image.Segments.Select(s => s.Executable), Is.EqualTo(new[] { true, false, false }));
    }

    [Test]
    public void KeepsEverySymbol()
    {
        var expected = TestImages.SampleSymbols()
            .Select(s => new ImageSymbol(s.Name, s.Address, s.Size, s.Kind == ElfSymbolKind.Function ? ImageSymbolKind.Function : ImageSymbolKind.Object))
            .OrderBy(s => s.Address);
        Assert.That(_image.Symbols.Symbols, Is.EqualTo(expected));
    }

    [Test]
    public void NamesAddressesWithItsSymbols()
    {
        Assert.That(_image.Symbols.Describe(TestImages.CodeAddress + 2), Is.EqualTo("_start+0x2"));
        Assert.That(_image.Symbols.Describe(TestImages.CodeAddress + 6), Is.EqualTo("spin+0x1"));
        Assert.That(_image.Symbols.Describe(TestImages.BssAddress + 0x1ff8), Is.EqualTo("stacks+0x1ff8"));
    }

    [Test]
    public void UsesThePhysicalNotTheVirtualAddress()
    {
        // A higher-half guest links at a high p_vaddr and loads at a low p_paddr (guest-abi.md).
        byte[] bytes = _bytes.With64(TestImages.Phdr(_bytes, 2) + TestImages.PVaddr, 0xFFFF_FFFF_8020_0000);
        GuestImage image = TestImages.Parse(bytes);
        Assert.That(image.Segments[2].Gpa, Is.EqualTo(TestImages.BssAddress));
    }

    [Test]
    public void AgreesWithElfSharpOnSegmentsAndSymbols()
    {
        // ELFSharp is too fragile to parse untrusted files (see ElfImageParser), but on a valid file
        // it is an independent reading to check ours against.
        using var stream = new MemoryStream(_bytes);
        using ELF<ulong> elf = ELFReader.Load<ulong>(stream, shouldOwnStream: false);
        var loads = elf.Segments.Where(s => s.Type == SegmentType.Load).OrderBy(s => s.PhysicalAddress).ToList();
        Assert.That(elf.EntryPoint, Is.EqualTo(_image.Entry));
        Assert.That(loads.Select(s => s.PhysicalAddress), Is.EqualTo(_image.Segments.Select(s => s.Gpa)));
        Assert.That(loads.Select(s => s.Size), Is.EqualTo(_image.Segments.Select(s => s.MemorySize)));
        Assert.That(loads.Select(s => s.GetFileContents()), Is.EqualTo(_image.Segments.Select(s => s.Data)));
        Assert.That(loads.Select(s => (s.Flags & SegmentFlags.Execute) != 0), Is.EqualTo(_image.Segments.Select(s => s.Executable)));

        var symtab = (SymbolTable<ulong>)elf.GetSection(".symtab");
        var theirs = symtab.Entries.Where(e => e.Value != 0).Select(e => (e.Name, e.Value, e.Size)).OrderBy(e => e.Value);
        Assert.That(theirs, Is.EqualTo(_image.Symbols.Symbols.Select(s => (s.Name, s.Address, s.Size))));
    }
}

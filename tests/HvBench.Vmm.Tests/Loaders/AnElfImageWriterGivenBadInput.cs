using HvBench.Guest.Elf;

namespace HvBench.Vmm.Tests.Loaders;

[TestFixture]
[Category("Unit")]
public sealed class AnElfImageWriterGivenBadInput
{
    [Test]
    public void RefusesOverlappingSegments()
    {
        ElfSegment[] segments =
        [
            new ElfSegment(0x100000, TestImages.Code, 0x2000, ElfSegmentFlags.ReadExecute),
            new ElfSegment(0x101000, TestImages.Data, 0x1000, ElfSegmentFlags.ReadWrite),
        ];
        Assert.That(() => ElfImageWriter.Write(0x100000, segments, []), Throws.ArgumentException.With.Message.Contains("overlap"));
    }

    [Test]
    public void RefusesAnImageWithoutSegments() =>
        Assert.That(() => ElfImageWriter.Write(0x100000, [], []), Throws.ArgumentException);

    [Test]
    public void RefusesAMemorySizeSmallerThanTheData() =>
        Assert.That(() => new ElfSegment(0x100000, TestImages.Data, 4, ElfSegmentFlags.ReadWrite), Throws.InstanceOf<ArgumentOutOfRangeException>());

    [Test]
    public void RefusesASymbolWithoutAName()
    {
        ElfSegment[] segments = [new ElfSegment(0x100000, TestImages.Code, 0x100, ElfSegmentFlags.ReadExecute)];
        Assert.That(
            () => ElfImageWriter.Write(0x100000, segments, [new ElfSymbol("", 0x100000, 0, ElfSymbolKind.Function)]),
            Throws.ArgumentException);
    }
}

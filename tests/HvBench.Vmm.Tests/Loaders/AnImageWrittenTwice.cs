using HvBench.Guest.Elf;

namespace HvBench.Vmm.Tests.Loaders;

[TestFixture]
[Category("Unit")]
public sealed class AnImageWrittenTwice
{
    [Test]
    public void GivesIdenticalBytes()
    {
        byte[] first = TestImages.Sample();
        byte[] second = TestImages.Sample();
        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public void GivesIdenticalBytesWhateverTheInputOrder()
    {
        ElfSegment[] segments = TestImages.SampleSegments();
        ElfSymbol[] symbols = TestImages.SampleSymbols();
        byte[] reversed = ElfImageWriter.Write(TestImages.CodeAddress, [.. segments.Reverse()], [.. symbols.Reverse()]);
        Assert.That(reversed, Is.EqualTo(TestImages.Sample()));
    }

    [Test]
    public void IsNotChangedByLaterWritesToTheCallersArray()
    {
        byte[] code = (byte[])TestImages.Code.Clone();
        var segment = new ElfSegment(TestImages.CodeAddress, code, (ulong)code.Length, ElfSegmentFlags.ReadExecute);
        byte[] first = ElfImageWriter.Write(TestImages.CodeAddress, [segment], []);
        code[0] ^= 0xFF;
        Assert.That(ElfImageWriter.Write(TestImages.CodeAddress, [segment], []), Is.EqualTo(first));
    }

    [Test]
    public void PlacesSegmentDataAtPageCongruentOffsets()
    {
        // p_offset % p_align == p_vaddr % p_align, as the gABI requires of PT_LOAD with p_align 0x1000.
        byte[] bytes = ElfImageWriter.Write(0x100123, [new ElfSegment(0x100123, TestImages.Code, 0x100, ElfSegmentFlags.ReadExecute)], []);
        int ph = TestImages.Phdr(bytes, 0);
        ulong offset = BitConverter.ToUInt64(bytes, ph + TestImages.POffset);
        Assert.That(offset % 0x1000, Is.EqualTo(0x123UL));
        Assert.That(bytes.AsSpan((int)offset, TestImages.Code.Length).ToArray(), Is.EqualTo(TestImages.Code));
    }
}

using HvBench.Vmm.Loaders;

namespace HvBench.Vmm.Tests.Loaders;

[TestFixture]
[Category("Unit")]
public sealed class AFlatBinary
{
    private static readonly byte[] s_code = [0x31, 0xC0, 0xF4];

    [Test]
    public void LoadsAtOneMiBAndStartsAtItsFirstByte()
    {
        GuestImage image = TestImages.Parse(s_code, "guest.bin");
        ImageSegment segment = image.Segments.Single();
        Assert.Multiple(() =>
        {
            Assert.That(segment.Gpa, Is.EqualTo(0x100000UL));
            Assert.That(image.Entry, Is.EqualTo(0x100000UL));
            Assert.That(segment.Data, Is.EqualTo(s_code));
            Assert.That(segment.MemorySize, Is.EqualTo((ulong)s_code.Length));
            Assert.That(segment.Executable, Is.True);
            Assert.That(image.Symbols.Count, Is.Zero);
        });
    }

    [Test]
    public void LoadsAtTheChosenLoadAddress()
    {
        GuestImage image = ImageLoader.Parse(s_code, "guest.bin", TestImages.Options with { FlatLoadAddress = 0x400000 });
        Assert.That(image.Segments.Single().Gpa, Is.EqualTo(0x400000UL));
        Assert.That(image.Entry, Is.EqualTo(0x400000UL));
    }

    [Test]
    public void IsRefusedWhenEmpty()
    {
        var e = Assert.Throws<ImageFormatException>(() => TestImages.Parse([], "guest.bin"));
        Assert.That(e!.Message, Is.EqualTo("guest.bin: empty image: a flat binary needs at least one byte"));
    }

    [Test]
    public void IsRefusedWhenLoadedIntoTheBootArea()
    {
        var e = Assert.Throws<ImageFormatException>(
            () => ImageLoader.Parse(s_code, "guest.bin", TestImages.Options with { FlatLoadAddress = 0x7000 }));
        Assert.That(e!.Message, Is.EqualTo(
            "guest.bin: flat image at 0x7000..0x7003 lies below 1 MiB (0x100000), which is reserved for the VMM's boot structures"));
    }

    [Test]
    public void IsRefusedWhenItRunsPastUsableMemory()
    {
        var e = Assert.Throws<ImageFormatException>(
            () => ImageLoader.Parse(s_code, "guest.bin", TestImages.Options with { FlatLoadAddress = TestImages.UsableEnd - 2 }));
        Assert.That(e!.Message, Does.Contain("lies outside usable guest memory, which ends at 0x3fc0000"));
    }

    [Test]
    public void FitsExactlyUpToTheUsableEnd()
    {
        GuestImage image = ImageLoader.Parse(s_code, "guest.bin", TestImages.Options with { FlatLoadAddress = TestImages.UsableEnd - 3 });
        Assert.That(image.Segments.Single().End, Is.EqualTo(TestImages.UsableEnd));
    }
}

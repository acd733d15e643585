using System.Text;
using HvBench.Vmm.Loaders;

namespace HvBench.Vmm.Tests.Loaders;

[TestFixture]
[Category("Unit")]
public sealed class AFileWhoseFormatIsDecidedByContentAndName
{
    private static readonly byte[] s_code = [0xF4];

    [Test]
    public void IsElfWhenItStartsWithTheElfMagicWhateverItsName()
    {
        Assert.That(TestImages.Parse(TestImages.Sample(), "guest.bin").Format, Is.EqualTo(GuestImageFormat.Elf64));
        Assert.That(TestImages.Parse(TestImages.Sample(), "guest").Format, Is.EqualTo(GuestImageFormat.Elf64));
    }

    [TestCase("guest.bin")]
    [TestCase("images/GUEST.BIN")]
    public void IsFlatWhenItsNameEndsInBin(string name) =>
        Assert.That(TestImages.Parse(s_code, name).Format, Is.EqualTo(GuestImageFormat.Flat));

    [Test]
    public void IsFlatWhenFlatIsForcedEvenWithTheElfMagic()
    {
        byte[] elf = TestImages.Sample();
        GuestImage image = ImageLoader.Parse(elf, "x.elf", TestImages.Options with { Format = GuestImageFormat.Flat });
        Assert.That(image.Format, Is.EqualTo(GuestImageFormat.Flat));
        Assert.That(image.Segments.Single().Data, Is.EqualTo(elf));
    }

    [Test]
    public void IsRefusedAsNotElfWhenElfIsForcedOnAFlatBinary()
    {
        var e = Assert.Throws<ImageFormatException>(
            () => ImageLoader.Parse(s_code, "guest.bin", TestImages.Options with { Format = GuestImageFormat.Elf64 }));
        Assert.That(e!.Message, Is.EqualTo("guest.bin: not an ELF64 image; use --format flat for a flat binary"));
    }

    [Test]
    public void IsRefusedWhenItIsNeitherElfNorNamedBin()
    {
        var e = Assert.Throws<ImageFormatException>(() => TestImages.Parse(Encoding.ASCII.GetBytes("#!/bin/sh\n"), "guest.img"));
        Assert.That(e!.Message, Is.EqualTo("guest.img: not an ELF64 image; use --format flat for a flat binary"));
    }
}

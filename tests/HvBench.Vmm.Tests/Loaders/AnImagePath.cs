using HvBench.Vmm.Loaders;

namespace HvBench.Vmm.Tests.Loaders;

[TestFixture]
[Category("Unit")]
public sealed class AnImagePath
{
    private string _directory = null!;

    [SetUp]
    public void MakeADirectory() => _directory = Directory.CreateTempSubdirectory("hvbench-loader-").FullName;

    [TearDown]
    public void RemoveTheDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void ThatExistsIsReadAndNamedInTheImage()
    {
        string path = Path.Combine(_directory, "sample.elf");
        File.WriteAllBytes(path, TestImages.Sample());
        GuestImage image = ImageLoader.Load(path, TestImages.Options);
        Assert.That(image.SourceName, Is.EqualTo(path));
        Assert.That(image.Segments, Has.Count.EqualTo(3));
    }

    [Test]
    public void ThatDoesNotExistIsReportedAsNotFound()
    {
        string path = Path.Combine(_directory, "missing.elf");
        var e = Assert.Throws<ImageFormatException>(() => ImageLoader.Load(path, TestImages.Options));
        Assert.That(e!.Message, Is.EqualTo($"{path}: file not found"));
        Assert.That(e.InnerException, Is.InstanceOf<FileNotFoundException>());
    }

    [Test]
    public void InAMissingDirectoryIsReportedAsNotFound()
    {
        string path = Path.Combine(_directory, "nowhere", "x.elf");
        var e = Assert.Throws<ImageFormatException>(() => ImageLoader.Load(path, TestImages.Options));
        Assert.That(e!.Message, Is.EqualTo($"{path}: file not found"));
    }

    [Test]
    public void ThatIsADirectoryIsRefused()
    {
        var e = Assert.Throws<ImageFormatException>(() => ImageLoader.Load(_directory, TestImages.Options));
        Assert.That(e!.Message, Is.EqualTo($"{_directory}: is a directory, not an image file"));
    }

    [Test, CancelAfter(10_000)]
    public void ThatIsADeviceIsRefusedWithoutReadingIt(CancellationToken token)
    {
        var e = Assert.Throws<ImageFormatException>(() => ImageLoader.Load("/dev/zero", TestImages.Options));
        Assert.That(e!.Message, Is.EqualTo("/dev/zero: cannot read the file: it is a character device, not a regular file"));
    }

    [Test]
    public void WithANewlineInItStillGivesAOneLineMessage()
    {
        string path = Path.Combine(_directory, "bad\nname.elf");
        var e = Assert.Throws<ImageFormatException>(() => ImageLoader.Load(path, TestImages.Options));
        Assert.That(e!.Message, Does.Not.Contain('\n').And.EndWith("bad?name.elf: file not found"));
    }

    [Test]
    public void ThatIsEmptyIsRefusedAsAFileNotAString()
    {
        var e = Assert.Throws<ImageFormatException>(() => ImageLoader.Load("", TestImages.Options));
        Assert.That(e!.Message, Does.StartWith(": cannot read the file"));
    }
}

using HvBench.Guest.Images;
using HvBench.Tests;

namespace HvBench.Vmm.Tests.Guest;

/// <summary>images/ holds exactly what guest/ builds, byte for byte (rebuild with
/// <c>dotnet run --project guest/HvBench.Guest -- images</c>).</summary>
[TestFixture, Category("Unit")]
public sealed class CheckedInImages
{
    public static IEnumerable<TestCaseData> Images() =>
        ImageCatalog.All.Select(i => new TestCaseData(i).SetName($"{i.FileName}_IsWhatTheGuestProjectBuilds"));

    [TestCaseSource(nameof(Images))]
    public void MatchTheBuild(CatalogImage image)
    {
        string path = Path.Combine(RepositoryPaths.Images, image.FileName);
        Assert.That(File.Exists(path), Is.True, $"{path} is missing: run dotnet run --project guest/HvBench.Guest -- images");
        byte[] built = image.Build();
        byte[] checkedIn = File.ReadAllBytes(path);
        int firstDifference = Enumerable.Range(0, Math.Min(built.Length, checkedIn.Length)).FirstOrDefault(i => built[i] != checkedIn[i], -1);
        Assert.That(checkedIn.Length, Is.EqualTo(built.Length), $"{image.FileName}: size differs from the build");
        Assert.That(firstDifference, Is.EqualTo(-1), $"{image.FileName}: first differing byte at offset {firstDifference}");
    }

    [Test]
    public void BuildingTwiceGivesTheSameBytes()
    {
        foreach (var image in ImageCatalog.All)
        {
            byte[] first = image.Build();
            Assert.That(image.Build(), Is.EqualTo(first), image.FileName);
        }
    }

    [Test]
    public void TheReadmeTableListsEveryImage()
    {
        string readme = File.ReadAllText(Path.Combine(RepositoryPaths.Images, "README.md"));
        Assert.That(readme, Is.EqualTo(ImageCatalog.DescribeAll()));
    }

    [Test]
    public void AChangedByteIsDetected()
    {
        // The comparison above must be able to fail: flip one byte of a fresh build and compare again.
        byte[] built = ImageCatalog.All[0].Build();
        byte[] changed = (byte[])built.Clone();
        changed[^1] ^= 0xFF;
        Assert.That(changed, Is.Not.EqualTo(built));
    }
}

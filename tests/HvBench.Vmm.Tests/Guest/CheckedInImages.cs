using HvBench.Guest.Images;
using HvBench.Tests;

namespace HvBench.Vmm.Tests.Guest;

/// <summary>images/ holds exactly what guest/ builds, byte for byte (rebuild with
/// <c>dotnet run --project guest/HvBench.Guest -- images</c>).</summary>
[TestFixture, Category("Unit")]
public sealed class CheckedInImages
{
    public static IEnumerable<TestCaseData> Images() =>
        ImageCatalog.All.Select(i => new TestCaseData(i).SetName($"{{m}}({i.FileName})"));

    [TestCaseSource(nameof(Images))]
    public void MatchTheBuild(CatalogImage image)
    {
        string path = Path.Combine(RepositoryPaths.Images, image.FileName);
        Assert.That(File.Exists(path), Is.True, $"{path} is missing: run dotnet run --project guest/HvBench.Guest -- images");
        Assert.That(Difference(image.FileName, image.Build(), File.ReadAllBytes(path)), Is.Null);
    }

    /// <summary>Null when the bytes are equal, else where they first differ.</summary>
    public static string? Difference(string name, byte[] built, byte[] checkedIn)
    {
        int common = Math.Min(built.Length, checkedIn.Length);
        for (int i = 0; i < common; i++)
            if (built[i] != checkedIn[i])
                return $"{name}: first differing byte at offset {i} (built 0x{built[i]:x2}, checked in 0x{checkedIn[i]:x2}); rebuild with dotnet run --project guest/HvBench.Guest -- images";
        return built.Length == checkedIn.Length ? null
            : $"{name}: {checkedIn.Length} bytes checked in, {built.Length} built; rebuild with dotnet run --project guest/HvBench.Guest -- images";
    }

    [Test]
    public void AreAllThatImagesHolds()
    {
        // A file guest/ no longer builds (or never did) would otherwise sit in images/ unchecked.
        string[] present = [.. Directory.GetFiles(RepositoryPaths.Images).Select(Path.GetFileName).OfType<string>().Where(n => n != "README.md")];
        Assert.That(present, Is.EquivalentTo(ImageCatalog.All.Select(i => i.FileName)));
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

    [TestCaseSource(nameof(Images))]
    public void AChangedByteIsDetected(CatalogImage image)
    {
        // The comparison must be able to fail: change one byte of the image (in the headers, the code, the symbol
        // table) and compare again. MatchTheBuild compares the checked-in file; this checks the comparison itself.
        byte[] built = image.Build();
        foreach (int offset in new[] { 0, built.Length / 2, built.Length - 1 })
        {
            byte[] changed = (byte[])built.Clone();
            changed[offset] ^= 0x01;
            Assert.That(Difference(image.FileName, built, changed), Does.Contain($"first differing byte at offset {offset}"));
        }
        Assert.That(Difference(image.FileName, built, [.. built, 0]), Does.Contain("bytes checked in"));
    }
}

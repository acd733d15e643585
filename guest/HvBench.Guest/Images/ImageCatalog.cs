namespace HvBench.Guest.Images;

/// <summary>One checked-in test guest: its file name, a one-line description and how to build it.</summary>
public sealed record CatalogImage(string FileName, string Description, Func<byte[]> Build);

/// <summary>Every image in images/, built deterministically; a test rebuilds them and compares bytes.</summary>
public static class ImageCatalog
{
    /// <summary>All images, in the order the README table lists them.</summary>
    public static IReadOnlyList<CatalogImage> All { get; } =
    [
        new("hello.elf", "every VP prints a line; VP0 waits for all of them and exits 0 (PASS)", HelloGuest.Build),
    ];

    /// <summary>Writes every image into <paramref name="directory"/> and returns the paths written.</summary>
    public static IReadOnlyList<string> WriteAll(string directory)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        foreach (var image in All)
        {
            string path = Path.Combine(directory, image.FileName);
            File.WriteAllBytes(path, image.Build());
            written.Add(path);
        }
        File.WriteAllText(Path.Combine(directory, "README.md"), DescribeAll());
        return written;
    }

    /// <summary>The images/README.md table.</summary>
    public static string DescribeAll()
    {
        var text = new System.Text.StringBuilder();
        text.Append("# Test guest images\n\nBuilt by `guest/` (`dotnet run --project guest/HvBench.Guest -- images`); ");
        text.Append("do not edit: a test rebuilds them and fails if any byte differs.\n\n| image | what it does |\n| --- | --- |\n");
        foreach (var image in All) text.Append($"| `{image.FileName}` | {image.Description} |\n");
        return text.ToString();
    }
}

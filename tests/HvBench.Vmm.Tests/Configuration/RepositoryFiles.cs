namespace HvBench.Vmm.Tests.Configuration;

/// <summary>Finds checked-in files (docs/, examples/, test data) from the test binaries by walking up to HvBench.sln.</summary>
internal static class RepositoryFiles
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    public static string Root => s_root.Value;

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string MalformedDirectory => PathOf("tests", "HvBench.Vmm.Tests", "Configuration", "Malformed");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "HvBench.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no HvBench.sln above {AppContext.BaseDirectory}");
    }
}

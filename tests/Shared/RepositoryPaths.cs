namespace HvBench.Tests;

/// <summary>Paths inside the repository, found from the test assembly's location.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Images => Path.Combine(Root, "images");

    public static string Examples => Path.Combine(Root, "examples");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "HvBench.sln"))) return dir.FullName;
        throw new InvalidOperationException($"HvBench.sln not found above {AppContext.BaseDirectory}");
    }
}

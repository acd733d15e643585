using HvBench.Tests;

namespace HvBench.Vmm.Tests.Configuration;

/// <summary>Checked-in files (docs/, examples/, test data) by their path inside the repository, whose root
/// <see cref="RepositoryPaths"/> finds.</summary>
internal static class RepositoryFiles
{
    public static string Root => RepositoryPaths.Root;

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string MalformedDirectory => PathOf("tests", "HvBench.Vmm.Tests", "Configuration", "Malformed");
}

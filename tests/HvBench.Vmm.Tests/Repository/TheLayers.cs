using System.Text.RegularExpressions;
using System.Xml.Linq;
using HvBench.Vmm.Tests.Configuration;

namespace HvBench.Vmm.Tests.Repository;

/// <summary>The layering rules of design.md and style.md, checked on the sources so that a change cannot break them
/// silently: unsafe code and P/Invoke only in HvBench.Kvm, and a Hyper-V model that references nothing.</summary>
[TestFixture, Category("Unit")]
public sealed partial class TheLayers
{
    private static readonly string KvmProject = Path.Combine("vmm", "HvBench.Kvm") + Path.DirectorySeparatorChar;
    private static readonly string ThisFile = Path.Combine("tests", "HvBench.Vmm.Tests", "Repository", "TheLayers.cs"); // holds the pattern

    private static IEnumerable<string> Sources(string pattern) =>
        Directory.EnumerateFiles(RepositoryFiles.Root, pattern, SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(RepositoryFiles.Root, path))
            .Where(path => !path.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or ".git" or "out" or "TestResults"));

    [GeneratedRegex(@"\bunsafe\b|\[(DllImport|LibraryImport)\b|\bextern\s+\w+\s+\w+\s*\(")]
    private static partial Regex UnsafeOrPInvoke();

    [Test]
    public void HaveUnsafeCodeAndPInvokeOnlyInHvBenchKvm()
    {
        string[] offenders = [.. Sources("*.cs")
            .Where(path => !path.StartsWith(KvmProject, StringComparison.Ordinal) && path != ThisFile)
            .Where(path => UnsafeOrPInvoke().IsMatch(File.ReadAllText(Path.Combine(RepositoryFiles.Root, path))))];
        Assert.That(offenders, Is.Empty, "unsafe or P/Invoke outside vmm/HvBench.Kvm");
        Assert.That(Sources("*.cs").Where(path => path.StartsWith(KvmProject, StringComparison.Ordinal))
            .Any(path => UnsafeOrPInvoke().IsMatch(File.ReadAllText(Path.Combine(RepositoryFiles.Root, path)))), Is.True,
            "the pattern finds HvBench.Kvm's own unsafe code, so it can find it elsewhere");
    }

    [Test]
    public void LetOnlyHvBenchKvmAllowUnsafeBlocks()
    {
        string[] allowing = [.. Sources("*.csproj").Concat(Sources("*.props"))
            .Where(path => XDocument.Load(Path.Combine(RepositoryFiles.Root, path)).Descendants("AllowUnsafeBlocks")
                .Any(e => string.Equals(e.Value.Trim(), "true", StringComparison.OrdinalIgnoreCase)))];
        Assert.That(allowing, Is.EqualTo(new[] { Path.Combine("vmm", "HvBench.Kvm", "HvBench.Kvm.csproj") }));
    }

    [Test]
    public void KeepTheHypervModelFreeOfReferences()
    {
        XDocument project = XDocument.Load(RepositoryFiles.PathOf("vmm", "HvBench.Hyperv", "HvBench.Hyperv.csproj"));
        Assert.Multiple(() =>
        {
            Assert.That(project.Descendants("ProjectReference"), Is.Empty, "HvBench.Hyperv depends on no other layer");
            Assert.That(project.Descendants("PackageReference"), Is.Empty, "nor on a package");
        });
    }
}

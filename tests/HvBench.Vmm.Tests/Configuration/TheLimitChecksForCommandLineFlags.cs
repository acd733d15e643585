using HvBench.Vmm.Configuration;

namespace HvBench.Vmm.Tests.Configuration;

/// <summary>The checks the CLI applies to <c>--vcpus</c>, <c>--memory</c> and <c>--timeout</c>, which the parser shares.</summary>
[TestFixture]
[Category("Unit")]
public sealed class TheLimitChecksForCommandLineFlags
{
    [TestCase(1L, null)]
    [TestCase(1024L, null)]
    [TestCase(0L, "0 is out of range 1..1024")]
    [TestCase(1025L, "1025 is out of range 1..1024")]
    public void ReportVcpuProblemsLikeTheParser(long vcpus, string? problem)
    {
        Assert.Multiple(() =>
        {
            Assert.That(ScenarioLimits.IsValidVcpus(vcpus, out string? found), Is.EqualTo(problem is null));
            Assert.That(found, Is.EqualTo(problem));
        });
    }

    [TestCase("2M", null)]
    [TestCase("3G", null)]
    [TestCase("64", "64 is out of range 2M..3G")]
    [TestCase("3145732K", "3145732K is out of range 2M..3G")]
    [TestCase("2100000", "2100000 is not a multiple of 4K")]
    public void ReportMemoryProblemsLikeTheParser(string size, string? problem)
    {
        Assert.Multiple(() =>
        {
            Assert.That(ScenarioLimits.IsValidMemory(MemorySize.Parse(size), out string? found), Is.EqualTo(problem is null));
            Assert.That(found, Is.EqualTo(problem));
        });
    }

    [TestCase("1ms", null)]
    [TestCase("1440m", null)]
    [TestCase("0", "0s is out of range 1ms..1440m")]
    [TestCase("86401s", "86401s is out of range 1ms..1440m")]
    public void ReportTimeoutProblemsLikeTheParser(string duration, string? problem)
    {
        Assert.Multiple(() =>
        {
            Assert.That(ScenarioLimits.IsValidTimeout(Duration.Parse(duration), out string? found), Is.EqualTo(problem is null));
            Assert.That(found, Is.EqualTo(problem));
        });
    }
}

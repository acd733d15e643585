using HvBench.Vmm.Configuration;

namespace HvBench.Vmm.Tests.Configuration;

[TestFixture]
[Category("Unit")]
public sealed class AMemorySizeInAnAcceptedForm
{
    [TestCase("64M", 64UL << 20)]
    [TestCase("64m", 64UL << 20)]
    [TestCase("4K", 4096UL)]
    [TestCase("4k", 4096UL)]
    [TestCase("3G", 3UL << 30)]
    [TestCase("1g", 1UL << 30)]
    [TestCase("2097152", 2097152UL)]
    [TestCase("0", 0UL)]
    [TestCase("064M", 64UL << 20)]
    [TestCase("17179869183G", 17179869183UL << 30)]
    public void ParsesToTheNumberOfBytes(string text, ulong bytes)
    {
        Assert.Multiple(() =>
        {
            Assert.That(MemorySize.TryParse(text, out ulong parsed, out string? error), Is.True, error);
            Assert.That(parsed, Is.EqualTo(bytes));
            Assert.That(MemorySize.Parse(text), Is.EqualTo(bytes));
        });
    }

    [TestCase(64UL << 20, "64M")]
    [TestCase(3UL << 30, "3G")]
    [TestCase(2052UL << 10, "2052K")]
    [TestCase(12345UL, "12345")]
    [TestCase(0UL, "0")]
    public void FormatsInTheLargestExactUnit(ulong bytes, string text)
    {
        Assert.Multiple(() =>
        {
            Assert.That(MemorySize.Format(bytes), Is.EqualTo(text));
            Assert.That(MemorySize.Parse(MemorySize.Format(bytes)), Is.EqualTo(bytes));
        });
    }
}

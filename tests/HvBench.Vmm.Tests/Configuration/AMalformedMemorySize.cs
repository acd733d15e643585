using HvBench.Vmm.Configuration;

namespace HvBench.Vmm.Tests.Configuration;

[TestFixture]
[Category("Unit")]
public sealed class AMalformedMemorySize
{
    [TestCase("12Q")]
    [TestCase("64 M")]
    [TestCase(" 64M")]
    [TestCase("-1M")]
    [TestCase("+1M")]
    [TestCase("1.5G")]
    [TestCase("M")]
    [TestCase("64MB")]
    [TestCase("64MiB")]
    [TestCase("0x10")]
    [TestCase("1T")]
    public void IsRefusedWithTheAllowedForms(string text)
    {
        Assert.Multiple(() =>
        {
            Assert.That(MemorySize.TryParse(text, out _, out string? error), Is.False);
            Assert.That(error, Is.EqualTo($"\"{text}\" is not a size (use {MemorySize.AllowedForms})"));
            Assert.That(() => MemorySize.Parse(text), Throws.TypeOf<FormatException>().With.Message.EqualTo(error));
        });
    }

    [TestCase("")]
    [TestCase(null)]
    public void IsRefusedWhenEmpty(string? text)
    {
        Assert.Multiple(() =>
        {
            Assert.That(MemorySize.TryParse(text, out _, out string? error), Is.False);
            Assert.That(error, Does.StartWith("an empty string is not a size").And.Contain(MemorySize.AllowedForms));
        });
    }

    [TestCase("17179869184G")]
    [TestCase("99999999999999999999")]
    public void IsRefusedWhenItOverflows64Bits(string text)
    {
        Assert.Multiple(() =>
        {
            Assert.That(MemorySize.TryParse(text, out _, out string? error), Is.False);
            Assert.That(error, Is.EqualTo($"\"{text}\" is too large for a 64-bit byte count"));
        });
    }
}

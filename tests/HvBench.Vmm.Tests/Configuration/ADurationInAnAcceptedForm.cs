using HvBench.Vmm.Configuration;

namespace HvBench.Vmm.Tests.Configuration;

[TestFixture]
[Category("Unit")]
public sealed class ADurationInAnAcceptedForm
{
    [TestCase("500ms", 500L)]
    [TestCase("2s", 2000L)]
    [TestCase("30s", 30_000L)]
    [TestCase("2m", 120_000L)]
    [TestCase("2", 2000L)]
    [TestCase("0", 0L)]
    [TestCase("1440m", 86_400_000L)]
    public void ParsesToTheTimeSpan(string text, long milliseconds)
    {
        Assert.Multiple(() =>
        {
            Assert.That(Duration.TryParse(text, out TimeSpan value, out string? error), Is.True, error);
            Assert.That(value, Is.EqualTo(TimeSpan.FromMilliseconds(milliseconds)));
            Assert.That(Duration.Parse(text), Is.EqualTo(value));
        });
    }

    [TestCase(30_000L, "30s")]
    [TestCase(120_000L, "2m")]
    [TestCase(1500L, "1500ms")]
    [TestCase(0L, "0s")]
    public void FormatsInTheLargestExactUnit(long milliseconds, string text)
    {
        TimeSpan value = TimeSpan.FromMilliseconds(milliseconds);
        Assert.Multiple(() =>
        {
            Assert.That(Duration.Format(value), Is.EqualTo(text));
            Assert.That(Duration.Parse(Duration.Format(value)), Is.EqualTo(value));
        });
    }
}

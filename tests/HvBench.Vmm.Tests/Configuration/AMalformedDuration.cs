using HvBench.Vmm.Configuration;

namespace HvBench.Vmm.Tests.Configuration;

[TestFixture]
[Category("Unit")]
public sealed class AMalformedDuration
{
    [TestCase("soon")]
    [TestCase("30 s")]
    [TestCase("30S")]
    [TestCase("30sec")]
    [TestCase("1.5s")]
    [TestCase("1h")]
    [TestCase("-1s")]
    [TestCase("ms")]
    [TestCase("s")]
    [TestCase("00:00:30")]
    public void IsRefusedWithTheAllowedForms(string text)
    {
        Assert.Multiple(() =>
        {
            Assert.That(Duration.TryParse(text, out _, out string? error), Is.False);
            Assert.That(error, Is.EqualTo($"\"{text}\" is not a duration (use {Duration.AllowedForms})"));
            Assert.That(() => Duration.Parse(text), Throws.TypeOf<FormatException>().With.Message.EqualTo(error));
        });
    }

    [Test]
    public void IsRefusedWhenTooLongToRepresent()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Duration.TryParse("99999999999999999m", out _, out string? error), Is.False);
            Assert.That(error, Is.EqualTo("\"99999999999999999m\" is too long to represent"));
        });
    }
}

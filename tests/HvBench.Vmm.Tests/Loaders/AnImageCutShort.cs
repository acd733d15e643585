using HvBench.Vmm.Loaders;

namespace HvBench.Vmm.Tests.Loaders;

[TestFixture]
[Category("Unit")]
public sealed class AnImageCutShort
{
    [Test]
    public void IsRefusedAtEveryLengthBelowItsOwnAndLoadsAtItsOwn()
    {
        byte[] full = TestImages.Sample();
        var failures = new List<string>();
        for (int length = 0; length <= full.Length; length++)
        {
            string? problem = TestImages.CheckOutcome(full[..length], "cut.elf", out bool loaded);
            if (problem is not null)
            {
                failures.Add($"length {length}: {problem}");
            }
            else if (loaded != (length == full.Length))
            {
                // The section headers come last, so any cut removes bytes the loader needs.
                failures.Add($"length {length}: {(loaded ? "loaded" : "refused")}");
            }
        }

        Assert.That(failures, Is.Empty);
    }

    [Test]
    public void NamesTheTruncationInTheMessage()
    {
        byte[] full = TestImages.Sample();
        for (int length = 16; length < full.Length; length++)
        {
            var e = Assert.Throws<ImageFormatException>(() => TestImages.Parse(full[..length]));
            Assert.That(e!.Message, Does.Contain("truncated:").And.EndWith($"of a {length}-byte file"), $"length {length}");
        }
    }
}

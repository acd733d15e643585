using System.Text;
using HvBench.Vmm.Configuration;

namespace HvBench.Vmm.Tests.Configuration;

/// <summary>
/// Every prefix of a valid scenario, and the scenario with each byte replaced by characters that break JSON, is
/// either valid or refused with a clean one-line <see cref="ScenarioException"/>: nothing else escapes.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class AScenarioCutOrCorruptedAnywhere
{
    private static readonly string s_json = File.ReadAllText(RepositoryFiles.PathOf("examples", "two-partitions.json"));

    [Test]
    public void IsRefusedCleanlyAtEveryLength()
    {
        for (int length = 0; length < s_json.Length; length++)
        {
            string prefix = s_json[..length];
            if (!string.IsNullOrWhiteSpace(prefix) && prefix.TrimEnd().EndsWith('}') && prefix.Count(c => c == '{') == prefix.Count(c => c == '}'))
            {
                continue;
            }

            ScenarioException? refusal = null;
            Assert.That(() => refusal = Assert.Throws<ScenarioException>(() => ScenarioParser.Parse(prefix, "cut.json")), Throws.Nothing, $"prefix of {length} chars");
            OneLineMessage.AssertClean(refusal!);
        }
    }

    [TestCase('"')]
    [TestCase('{')]
    [TestCase(']')]
    [TestCase('\n')]
    [TestCase('\0')]
    [TestCase('x')]
    [TestCase('9')]
    [TestCase('é')]
    public void IsValidOrRefusedCleanlyWhateverCharacterIsReplaced(char replacement)
    {
        for (int index = 0; index < s_json.Length; index++)
        {
            string corrupted = string.Concat(s_json.AsSpan(0, index), replacement.ToString(), s_json.AsSpan(index + 1));
            try
            {
                _ = ScenarioParser.Parse(corrupted, "corrupt.json");
            }
            catch (ScenarioException refusal)
            {
                OneLineMessage.AssertClean(refusal);
            }
        }
    }

    [Test]
    public void IsRefusedCleanlyWhenNestedTooDeeply()
    {
        string json = new StringBuilder().Append('[', 100).Append(']', 100).ToString();
        ScenarioException refusal = Assert.Throws<ScenarioException>(() => ScenarioParser.Parse(json, "deep.json"))!;
        OneLineMessage.AssertClean(refusal);
        Assert.That(refusal.Problem, Does.StartWith("invalid JSON: "));
    }
}

using System.Text.RegularExpressions;
using HvBench.Vmm.Configuration;

namespace HvBench.Vmm.Tests.Configuration;

/// <summary>docs/scenario.md: its JSON examples are valid scenarios.</summary>
[TestFixture]
[Category("Unit")]
public sealed partial class TheScenarioDocumentation
{
    private static IEnumerable<TestCaseData> JsonBlocks()
    {
        string markdown = File.ReadAllText(RepositoryFiles.PathOf("docs", "scenario.md"));
        int index = 0;
        foreach (Match block in JsonBlock().Matches(markdown))
        {
            yield return new TestCaseData(block.Groups[1].Value).SetArgDisplayNames($"json block {++index}");
        }
    }

    [TestCaseSource(nameof(JsonBlocks))]
    public void HasExamplesThatAreValidScenarios(string json) =>
        Assert.That(() => ScenarioParser.Parse(json, "docs/scenario.md"), Throws.Nothing);

    [Test]
    public void HasJsonExamples() => Assert.That(JsonBlocks().Count(), Is.GreaterThanOrEqualTo(2));

    [GeneratedRegex("```json\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}

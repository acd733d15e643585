using HvBench.Vmm.Configuration;

namespace HvBench.Vmm.Tests.Configuration;

/// <summary>
/// Each file under Malformed/ with the exact message <see cref="ScenarioParser.Load"/> refuses it with (after the
/// file name): one line naming the JSON path, the problem and what is allowed.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class AMalformedScenarioFile
{
    private static readonly (string File, string Path, string Problem)[] s_cases =
    [
        ("unknown-field.json", "$.hyperv.prots",
            "unknown field \"prots\"; did you mean \"ports\"? (allowed: convention, statusProfile, privileges, ports, connections)"),
        ("wrong-type.json", "$.vcpus", "expected an integer 1..1024, got \"two\""),
        ("missing-required-field.json", "$.hyperv.ports[0]",
            "required field \"targetSint\" is missing (required: id, type, targetVp, targetSint)"),
        ("duplicate-port-id.json", "$.hyperv.ports[1].id", "duplicate port id 1 (also at $.hyperv.ports[0].id)"),
        ("duplicate-connection-id.json", "$.hyperv.connections[1].id", "duplicate connection id 7 (also at $.hyperv.connections[0].id)"),
        ("sint-16.json", "$.hyperv.ports[1].targetSint", "16 is out of range 0..15"),
        ("flags-past-2048.json", "$.hyperv.ports[0].flagCount",
            "baseFlagNumber 2000 + flagCount 64 = 2064 is more than the 2048 flags of a SINT (allowed: base + count <= 2048)"),
        ("flag-count-zero.json", "$.hyperv.ports[0].flagCount", "0 is out of range 1..2048"),
        ("vcpus-zero.json", "$.vcpus", "0 is out of range 1..1024"),
        ("vcpus-too-many.json", "$.vcpus", "1025 is out of range 1..1024"),
        ("memory-bad-suffix.json", "$.memory", $"\"12Q\" is not a size (use {MemorySize.AllowedForms})"),
        ("memory-too-small.json", "$.memory", "1M is out of range 2M..3G"),
        ("memory-too-large.json", "$.memory", "4G is out of range 2M..3G"),
        ("memory-not-whole-pages.json", "$.memory", "2049K is not a multiple of 4K"),
        ("timeout-malformed.json", "$.timeout", $"\"soon\" is not a duration (use {Duration.AllowedForms})"),
        ("timeout-zero.json", "$.timeout", "0s is out of range 1ms..1440m"),
        ("port-id-zero.json", "$.hyperv.ports[0].id", "0 is out of range 1..0xFFFFFF"),
        ("connection-id-too-large.json", "$.hyperv.connections[0].id", "16777216 (0x1000000) is out of range 1..0xFFFFFF"),
        ("connection-to-reserved-port-id.json", "$.hyperv.connections[0].port", "16777216 (0x1000000) is out of range 1..0xFFFFFF"),
        ("message-port-with-flags.json", "$.hyperv.ports[0].flagCount", "not allowed on a message port (event ports only)"),
        ("truncated.json", "$.hyperv.ports", "invalid JSON: the file ends before the JSON is complete (line 6, column 1)"),
        ("not-json.json", "$", "invalid JSON: 'v' is an invalid start of a value (line 1, column 1)"),
        ("empty.json", "$", "the file is empty (expected a JSON object)"),
        ("null-value.json", "$.memory", "expected a size such as \"64M\", got null (leave the field out to get its default)"),
        ("duplicate-key.json", "$.vcpus", "field \"vcpus\" appears more than once"),
        ("comment.json", "$", "invalid JSON: comments are not allowed in JSON (line 2, column 3)"),
        ("hyperv-beside-partitions.json", "$.hyperv", "not allowed together with \"partitions\" (give each partition its own \"hyperv\")"),
    ];

    private static IEnumerable<TestCaseData> Cases() =>
        s_cases.Select(c => new TestCaseData(c.File, c.Path, c.Problem).SetArgDisplayNames(c.File));

    private static ScenarioException Refusal(string file)
    {
        string path = Path.Combine(RepositoryFiles.MalformedDirectory, file);
        return Assert.Throws<ScenarioException>(() => ScenarioParser.Load(path))!;
    }

    [TestCaseSource(nameof(Cases))]
    public void IsRefusedNamingTheFileThePathAndTheProblem(string file, string jsonPath, string problem)
    {
        string path = Path.Combine(RepositoryFiles.MalformedDirectory, file);
        ScenarioException refusal = Refusal(file);
        Assert.Multiple(() =>
        {
            Assert.That(refusal.Message, Is.EqualTo($"{path}: {jsonPath}: {problem}"));
            Assert.That(refusal.FileName, Is.EqualTo(path));
            Assert.That(refusal.JsonPath, Is.EqualTo(jsonPath));
            Assert.That(refusal.Problem, Is.EqualTo(problem));
        });
    }

    [TestCaseSource(nameof(Cases))]
    public void IsRefusedInOneLineWithoutStackTraceText(string file, string jsonPath, string problem)
    {
        ScenarioException refusal = Refusal(file);
        OneLineMessage.AssertClean(refusal);
    }

    [Test]
    public void EveryFileInTheFolderHasACase()
    {
        string[] files = Directory.GetFiles(RepositoryFiles.MalformedDirectory).Select(Path.GetFileName).ToArray()!;
        Assert.That(files, Is.EquivalentTo(s_cases.Select(c => c.File)));
    }
}

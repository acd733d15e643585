namespace HvBench.Vmm.Tests.Cli;

/// <summary>The issue's ten malformed scenario files given to <c>hvbench run --config</c>: each is one line on stderr
/// naming the file, the JSON path and the problem, exit code 2, no stack trace, and nothing runs (no KVM needed).</summary>
[TestFixture, Category("Unit")]
public sealed class HvbenchRunWithAMalformedScenario
{
    private static readonly (string File, string Expected)[] s_cases =
    [
        ("wrong-type.json", "$.vcpus: expected an integer 1..1024, got \"two\""),
        ("unknown-field.json", "$.hyperv.prots: unknown field \"prots\"; did you mean \"ports\"?"),
        ("duplicate-port-id.json", "$.hyperv.ports[1].id: duplicate port id 1 (also at $.hyperv.ports[0].id)"),
        ("sint-16.json", "$.hyperv.ports[1].targetSint: 16 is out of range 0..15"),
        ("flags-past-2048.json", "$.hyperv.ports[0].flagCount: baseFlagNumber 2000 + flagCount 64 = 2064 is more than the 2048 flags of a SINT"),
        ("vcpus-zero.json", "$.vcpus: 0 is out of range 1..1024"),
        ("memory-bad-suffix.json", "$.memory: \"12Q\" is not a size"),
        ("connection-to-reserved-port-id.json", "$.hyperv.connections[0].port: 16777216 (0x1000000) is out of range 1..0xFFFFFF"),
        ("truncated.json", "$.hyperv.ports: invalid JSON: the file ends before the JSON is complete (line 6, column 1)"),
        ("not-json.json", "$: invalid JSON: 'v' is an invalid start of a value (line 1, column 1)"),
    ];

    private static IEnumerable<TestCaseData> Cases() => s_cases.Select(c => new TestCaseData(c.File, c.Expected).SetArgDisplayNames(c.File));

    [TestCaseSource(nameof(Cases))]
    public void PrintsOneLineNamingTheProblemAndExits2(string file, string expected)
    {
        string path = Path.Combine(Configuration.RepositoryFiles.MalformedDirectory, file);
        var output = HvbenchProcess.Run("run", "images/hello.elf", "--config", path);
        Assert.Multiple(() =>
        {
            Assert.That(output.ExitCode, Is.EqualTo(2));
            Assert.That(output.ErrorLine, Does.StartWith($"hvbench: {path}: {expected}"));
            Assert.That(output.ErrorLine, Does.Not.Contain("\n").And.Not.Contain("   at ").And.Not.Contain("Exception").And.Not.Contain("System."));
            Assert.That(output.Stdout, Is.Empty, "nothing ran");
        });
    }

    [Test]
    public void CoverTheTenKindsTheIssueNames() => Assert.That(s_cases.Select(c => c.File).Distinct().Count(), Is.EqualTo(10));
}

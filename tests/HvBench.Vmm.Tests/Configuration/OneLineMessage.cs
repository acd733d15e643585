using HvBench.Vmm.Configuration;

namespace HvBench.Vmm.Tests.Configuration;

/// <summary>Checks that a scenario refusal is the promised single line with no exception or stack-trace text.</summary>
internal static class OneLineMessage
{
    public static void AssertClean(ScenarioException refusal)
    {
        Assert.Multiple(() =>
        {
            Assert.That(refusal.Message, Does.Not.Contain("\n").And.Not.Contain("\r"), "one line");
            Assert.That(refusal.Message, Does.Not.Match(@"\bat [\w.`<>]+\("), "no stack frame");
            Assert.That(refusal.Problem, Does.Not.Contain("Exception").And.Not.Contain("System.").And.Not.Contain("HvBench.")
                .And.Not.Contain("LineNumber").And.Not.Contain("BytePositionInLine").And.Not.Contain("Path: "),
                "no exception or .NET type names, no System.Text.Json position suffix");
            Assert.That(refusal.InnerException, Is.Null, "no wrapped exception to print");
        });
    }
}

using System.Text.Json;
using HvBench.Tests;

namespace HvBench.Vmm.Tests.Cli;

/// <summary><c>hvbench run --hypercall-page io</c>: the page holds <c>out 0xE8, al; ret</c>, so the guests that signal
/// and post through the page pass without a breakpoint on it.</summary>
[TestFixture, Category("Kvm")]
public sealed class HvbenchRunWithTheIoHypercallPage
{
    [TestCase("signal.elf", "signal.json", 0, TestName = "PassesTheSignalGuestWithNoDebugExit")]
    [TestCase("signal-direct.elf", "signal.json", 1, TestName = "LeavesTheBreakpointsToDirectVmcallSites")]
    [TestCase("post-message.elf", "post-message.json", 0, TestName = "PassesThePostMessageGuestWithNoDebugExit")]
    [CancelAfter(60_000)]
    public void Run(string image, string scenario, int minimumDebugExits, CancellationToken token)
    {
        KvmRequirement.Require();
        var output = HvbenchProcess.Run("run", Path.Combine(RepositoryPaths.Images, image), "--config", Path.Combine(RepositoryPaths.Examples, scenario),
            "--hypercall-page", "io", "--json");
        Assert.That(output.ExitCode, Is.Zero, output.Stdout + output.Stderr);
        using JsonDocument report = JsonDocument.Parse(output.Stdout);
        JsonElement counters = report.RootElement.GetProperty("counters");
        Assert.That(counters.GetProperty("hypercalls").GetInt64(), Is.GreaterThan(0));
        long debugExits = counters.GetProperty("exits").TryGetProperty("Debug", out JsonElement debug) ? debug.GetInt64() : 0;
        if (minimumDebugExits == 0) Assert.That(debugExits, Is.Zero, "the I/O page needs no breakpoint");
        else Assert.That(debugExits, Is.GreaterThanOrEqualTo(minimumDebugExits), "the direct VMCALL site still exits through its breakpoint");
    }

    [Test, CancelAfter(30_000)]
    public void RefusesAnotherPageKind(CancellationToken token)
    {
        var output = HvbenchProcess.Run("run", Path.Combine(RepositoryPaths.Images, "hello.elf"), "--hypercall-page", "vmmcall");
        Assert.That(output.ExitCode, Is.EqualTo(2));
        Assert.That(output.ErrorLine, Does.StartWith("hvbench: ").And.Contain("vmmcall"));
    }
}

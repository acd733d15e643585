using System.Text.Json;
using HvBench.Tests;

namespace HvBench.Vmm.Tests.Cli;

/// <summary><c>hvbench run --json</c>: stdout is exactly one JSON document with the verdict, console, timings, counters,
/// set-up and results.</summary>
[TestFixture, Category("Kvm")]
public sealed class HvbenchRunWithJson
{
    [Test]
    public void APassingRunIsOneDocumentWithVerdictConsoleTimingsAndCounters()
    {
        KvmRequirement.Require();
        var output = HvbenchProcess.Run("run", "images/hello.elf", "--vcpus", "2", "--json", "--config", "examples/signal.json");
        Assert.That(output.ExitCode, Is.Zero, output.Stderr);
        using var json = JsonDocument.Parse(output.Stdout);
        JsonElement root = json.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("verdict").GetString(), Is.EqualTo("PASS"));
            Assert.That(root.GetProperty("outcome").GetString(), Is.EqualTo("pass"));
            Assert.That(root.GetProperty("exitCode").GetInt32(), Is.Zero);
            Assert.That(root.GetProperty("guestExitCode").GetUInt32(), Is.Zero);
            Assert.That(root.GetProperty("console").GetString(), Does.Contain("hello from VP 0 of 2\n").And.Contain("hello from VP 1 of 2\n"));
            Assert.That(root.GetProperty("timings").GetProperty("elapsedMs").GetDouble(), Is.GreaterThan(0));
            Assert.That(root.GetProperty("timings").GetProperty("timeoutMs").GetDouble(), Is.EqualTo(10_000), "from signal.json");
            Assert.That(root.GetProperty("counters").GetProperty("exits").GetProperty("Io").GetInt64(), Is.GreaterThanOrEqualTo(43));
            Assert.That(root.GetProperty("counters").GetProperty("exitsByVp").GetArrayLength(), Is.EqualTo(2));
            Assert.That(root.GetProperty("counters").GetProperty("hypercalls").GetInt64(), Is.Zero);
            Assert.That(root.GetProperty("setup").GetProperty("scenario").GetString(), Is.EqualTo("examples/signal.json"));
            JsonElement partition = root.GetProperty("setup").GetProperty("partitions")[0];
            Assert.That(partition.GetProperty("vcpus").GetInt32(), Is.EqualTo(2));
            Assert.That(partition.GetProperty("convention").GetString(), Is.EqualTo("tlfs"));
            Assert.That(partition.GetProperty("statusProfile").GetString(), Is.EqualTo("tlfs"));
            Assert.That(root.GetProperty("results").ValueKind, Is.EqualTo(JsonValueKind.Null), "hello has no results buffer");
            Assert.That(root.GetProperty("registers").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(root.GetProperty("warnings").GetArrayLength(), Is.Zero);
        });
        Assert.That(output.Stderr, Is.Empty, "no console echo and no warnings");
    }

    [Test]
    public void AGuestFailureGivesItsExitCodeAndReason()
    {
        KvmRequirement.Require();
        using var guests = new CliGuests();
        var output = HvbenchProcess.Run("run", guests.ExitsWith(1), "--json");
        Assert.That(output.ExitCode, Is.EqualTo(1));
        using var json = JsonDocument.Parse(output.Stdout);
        JsonElement root = json.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("outcome").GetString(), Is.EqualTo("guestFailed"));
            Assert.That(root.GetProperty("guestExitCode").GetUInt32(), Is.EqualTo(1));
            Assert.That(root.GetProperty("reason").GetString(), Is.EqualTo("guest exit code 1 (VP0)"));
            Assert.That(root.GetProperty("console").GetString(), Is.EqualTo("failing\n"));
        });
    }

    [Test]
    public void TheResultsBufferOfTheGuestIsInTheDocument()
    {
        KvmRequirement.Require();
        using var guests = new CliGuests();
        string withResults = guests.Write("results.elf", ResultsGuest.Build());
        var output = HvbenchProcess.Run("run", withResults, "--json");
        Assert.That(output.ExitCode, Is.Zero, output.Stderr);
        using var json = JsonDocument.Parse(output.Stdout);
        JsonElement results = json.RootElement.GetProperty("results");
        Assert.That(results.GetProperty("counters").EnumerateArray().Select(c => c.GetUInt64()).Take(2), Is.EqualTo(new ulong[] { 42, 7 }));
        Assert.That(results.GetProperty("samples").EnumerateArray().Select(c => c.GetUInt64()), Is.EqualTo(new ulong[] { 100, 200, 300 }));
    }
}

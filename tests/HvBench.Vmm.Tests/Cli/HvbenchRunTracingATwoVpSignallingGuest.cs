using System.Text.Json;
using HvBench.Tests;

namespace HvBench.Vmm.Tests.Cli;

/// <summary>
/// <c>--trace</c> and <c>--trace-file</c> on a two-VP guest that enables the hypercall page, signals through
/// examples/signal.json's connection 7 with a fast call (a SINT to VP1) and calls an unknown connection from VP1 with
/// a slow one, whose input block the trace decodes.
/// </summary>
[TestFixture, Category("Kvm")]
public sealed class HvbenchRunTracingATwoVpSignallingGuest
{
    private CliGuests _guests = null!;
    private HvbenchProcess.Output _output = null!;
    private string _traceFile = null!;

    [OneTimeSetUp]
    public void Run()
    {
        KvmRequirement.Require();
        _guests = new CliGuests();
        _traceFile = _guests.PathOf("out.json");
        _output = HvbenchProcess.Run("run", _guests.SignalsAcrossTwoVps(), "--config", "examples/signal.json", "--trace", "--trace-file", _traceFile);
    }

    [OneTimeTearDown]
    public void Remove() => _guests?.Dispose();

    [Test]
    public void Passes()
    {
        Assert.That(_output.ExitCode, Is.Zero, _output.Stdout + _output.Stderr);
        Assert.That(_output.Stdout, Does.Contain("hypercalls: 2 (HV_STATUS_INVALID_CONNECTION_ID 1, HV_STATUS_SUCCESS 1)").Or.Contain("hypercalls: 2 (HV_STATUS_SUCCESS 1, HV_STATUS_INVALID_CONNECTION_ID 1)"));
        Assert.That(_output.Stdout, Does.Contain("SINTs delivered: 1"));
    }

    [Test]
    public void PrintsALinePerExitHypercallAndSint()
    {
        string[] lines = _output.Stdout.Split('\n');
        Assert.Multiple(() =>
        {
            Assert.That(lines, Has.Some.Match(@"^\s+\d+\.\d{3} us  VP0  exit WRMSR 0x40000001 HV_X64_MSR_HYPERCALL = 0x300001$"));
            Assert.That(lines, Has.Some.Match(@"^\s+\d+\.\d{3} us  VP1  exit WRMSR 0x40000092 HV_X64_MSR_SINT2 = 0x50$"));
            Assert.That(lines, Has.Some.Match(@"^\s+\d+\.\d{3} us  VP0  exit DEBUG RIP=0x300000$"));
            Assert.That(lines, Has.Some.Match(@"^\s+\d+\.\d{3} us  VP0  hypercall HvCallSignalEvent fast RDX=0x7 R8=0x0 -> HV_STATUS_SUCCESS$"));
            Assert.That(lines, Has.Some.Match(
                @"^\s+\d+\.\d{3} us  VP1  hypercall HvCallSignalEvent slow RDX=0x[0-9A-F]+ \(connection 0x63, flag 0\) R8=0x0 -> HV_STATUS_INVALID_CONNECTION_ID$"));
            Assert.That(lines, Has.Some.Match(@"^\s+\d+\.\d{3} us  VP1  SINT vector 0x50 asserted on VP1$"));
            Assert.That(lines, Has.Some.Match(@"^\s+\d+\.\d{3} us  VP0  exit IO port 0xF4$"));
        });
        int traceEnd = Array.FindLastIndex(lines, l => l.Contains(" us  VP", StringComparison.Ordinal));
        Assert.That(lines[traceEnd + 1], Is.EqualTo("PASS"), "the trace comes after the run, before the verdict");
    }

    [Test]
    public void WritesValidTraceEventJsonWithATrackPerVp()
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(_traceFile));
        JsonElement[] events = json.RootElement.GetProperty("traceEvents").EnumerateArray().ToArray();
        var threads = events.Where(e => e.GetProperty("ph").GetString() == "M" && e.GetProperty("name").GetString() == "thread_name")
            .Select(e => (e.GetProperty("pid").GetInt32(), e.GetProperty("tid").GetInt32(), e.GetProperty("args").GetProperty("name").GetString()));
        Assert.That(threads, Is.EqualTo(new[] { (1, 0, "VP0"), (1, 1, "VP1") }));

        JsonElement[] timed = events.Where(e => e.GetProperty("ph").GetString() != "M").ToArray();
        double last = 0;
        foreach (JsonElement e in timed)
        {
            Assert.That(e.GetProperty("ph").GetString(), Is.AnyOf("i", "X"));
            Assert.That(e.GetProperty("name").GetString(), Is.Not.Empty);
            Assert.That(e.GetProperty("pid").GetInt32(), Is.EqualTo(1));
            Assert.That(e.GetProperty("tid").GetInt32(), Is.AnyOf(0, 1));
            double ts = e.GetProperty("ts").GetDouble();
            Assert.That(ts, Is.GreaterThanOrEqualTo(0));
            if (e.GetProperty("ph").GetString() == "i")
            {
                Assert.That(ts, Is.GreaterThanOrEqualTo(last), "instants in time order");
                last = ts;
            }
        }
        Assert.That(timed.Select(e => e.GetProperty("tid").GetInt32()).Distinct().Order(), Is.EqualTo(new[] { 0, 1 }), "events on both VPs' tracks");
    }

    [Test]
    public void TheTraceFileHasBothHypercallsAsCompleteEventsAndTheSintOnVp1()
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(_traceFile));
        JsonElement[] events = json.RootElement.GetProperty("traceEvents").EnumerateArray().ToArray();
        JsonElement[] calls = events.Where(e => e.GetProperty("cat").GetString() == "hypercall").ToArray();
        Assert.That(calls.Select(c => (c.GetProperty("tid").GetInt32(), c.GetProperty("args").GetProperty("status").GetString())),
            Is.EquivalentTo(new[] { (0, "HV_STATUS_SUCCESS"), (1, "HV_STATUS_INVALID_CONNECTION_ID") }));
        JsonElement slow = calls.Single(c => c.GetProperty("tid").GetInt32() == 1).GetProperty("args");
        JsonElement fast = calls.Single(c => c.GetProperty("tid").GetInt32() == 0).GetProperty("args");
        Assert.Multiple(() =>
        {
            Assert.That(fast.GetProperty("fast").GetBoolean(), Is.True);
            Assert.That(fast.TryGetProperty("connectionId", out _), Is.False, "a fast call's input is RDX itself");
            Assert.That(slow.GetProperty("fast").GetBoolean(), Is.False);
            Assert.That(slow.GetProperty("connectionId").GetString(), Is.EqualTo("0x63"));
            Assert.That(slow.GetProperty("flagNumber").GetInt32(), Is.Zero);
        });
        foreach (JsonElement call in calls)
        {
            Assert.That(call.GetProperty("name").GetString(), Is.EqualTo("HvCallSignalEvent"));
            Assert.That(call.GetProperty("ph").GetString(), Is.EqualTo("X"), "each started at its breakpoint exit");
            Assert.That(call.GetProperty("dur").GetDouble(), Is.GreaterThanOrEqualTo(0));
        }
        JsonElement sint = events.Single(e => e.GetProperty("cat").GetString() == "sint");
        Assert.That(sint.GetProperty("tid").GetInt32(), Is.EqualTo(1));
        Assert.That(sint.GetProperty("args").GetProperty("vector").GetString(), Is.EqualTo("0x50"));
    }
}

using System.Globalization;
using HvBench.Cli.Json;
using HvBench.Hyperv;
using HvBench.Vmm;
using HvBench.Vmm.Configuration;
using HvBench.Vmm.Reports;
using HvBench.Vmm.Tracing;

namespace HvBench.Cli;

/// <summary>Builds the <c>--json</c> document of a run.</summary>
internal static class RunDocuments
{
    public static RunDocument Create(RunResult result, int exitCode, string image, string? scenario, ScenarioMachines machines,
        TraceBuffer? trace, string? traceFile)
    {
        RunStatistics statistics = result.Statistics;
        return new RunDocument
        {
            Verdict = result.Verdict,
            Outcome = OutcomeName(result.Outcome),
            ExitCode = exitCode,
            GuestExitCode = result.GuestExitCode,
            Reason = result.Reason,
            Console = result.ConsoleText,
            Timings = new TimingsDocument
            {
                ElapsedMs = Math.Round(result.Elapsed.TotalMilliseconds, 3),
                TimeoutMs = machines.Plan.Scenario.Timeout.TotalMilliseconds,
            },
            Setup = new SetupDocument { Image = image, Scenario = scenario, Partitions = machines.Machines.Select(Partition).ToArray() },
            Counters = Counters(statistics, machines.Machines),
            Results = result.Results is { } results ? new ResultsDocument { Counters = results.Counters, Samples = results.Samples } : null,
            Registers = RunReport.RegistersShown(result) is { Count: > 0 } shown ? shown.Select(Registers).ToArray() : null,
            Warnings = machines.Plan.Warnings,
            Trace = trace is null ? null : new TraceSummaryDocument { Events = trace.Count, Dropped = trace.Dropped, File = traceFile },
        };
    }

    /// <summary>The outcome's name in JSON: the <see cref="RunOutcome"/> member in camel case.</summary>
    public static string OutcomeName(RunOutcome outcome) => outcome switch
    {
        RunOutcome.Pass => "pass",
        RunOutcome.GuestFailed => "guestFailed",
        RunOutcome.GuestFault => "guestFault",
        RunOutcome.AllHalted => "allHalted",
        RunOutcome.TimedOut => "timedOut",
        RunOutcome.Cancelled => "cancelled",
        _ => "hostError",
    };

    private static PartitionDocument Partition(Machine machine) => new()
    {
        Id = machine.Config.PartitionId,
        Image = machine.Config.Image.SourceName,
        Vcpus = machine.Config.VcpuCount,
        MemoryBytes = machine.Config.MemoryBytes,
        Convention = machine.Config.Convention == HypercallConvention.Rax ? "rax" : "tlfs",
        StatusProfile = machine.Config.StatusProfile == StatusProfile.KvmCompat ? "kvm-compat" : "tlfs",
        PrivilegeMask = (ulong)machine.Config.Privileges,
        Intercept = machine.Intercept.ToString().ToLowerInvariant(),
        DirectVmcallSites = machine.DirectVmcallSites.Select(Hex).ToArray(),
    };

    private static CountersDocument Counters(RunStatistics statistics, IReadOnlyList<Machine> machines)
    {
        var byVp = new List<VpExitsDocument>();
        int slot = 0;
        foreach (Machine machine in machines)
        {
            for (int vp = 0; vp < machine.Config.VcpuCount && slot < statistics.ExitsByVp.Length; vp++, slot++)
                byVp.Add(new VpExitsDocument { Partition = machine.Config.PartitionId, Vp = vp, Exits = ByReason(statistics.ExitsByVp[slot]) });
        }

        var totals = new Dictionary<string, long>();
        foreach (var (reason, count) in statistics.Totals()) totals[reason.ToString()] = count;
        return new CountersDocument
        {
            Exits = totals,
            ExitsByVp = byVp,
            Hypercalls = statistics.Hypercalls,
            HypercallsByStatus = statistics.HypercallsByStatus,
            SintsAsserted = statistics.SintsAsserted,
            SintsDelivered = statistics.SintsAsserted - statistics.SintsNotDelivered,
            SintsNotDelivered = statistics.SintsNotDelivered,
            AutoEoiIsrBitsCleared = statistics.AutoEoiIsrBitsCleared,
            MsrFaults = statistics.MsrFaults,
            FlagsDroppedOutsideRam = statistics.FlagsDroppedOutsideRam,
            MessagesDroppedOutsideRam = statistics.MessagesDroppedOutsideRam,
            UnclaimedPortReads = statistics.UnclaimedPortReads,
            UnclaimedPortWrites = statistics.UnclaimedPortWrites,
            UnclaimedMmioReads = statistics.UnclaimedMmioReads,
            UnclaimedMmioWrites = statistics.UnclaimedMmioWrites,
        };
    }

    private static Dictionary<string, long> ByReason(long[] counts)
    {
        var exits = new Dictionary<string, long>();
        for (int slot = 0; slot < counts.Length; slot++)
            if (counts[slot] > 0) exits[RunStatistics.ReasonOf(slot).ToString()] = counts[slot];
        return exits;
    }

    private static RegistersDocument Registers(RegisterSnapshot snapshot)
    {
        var r = snapshot.Regs;
        return new RegistersDocument
        {
            Partition = snapshot.PartitionId,
            Vp = snapshot.VpIndex,
            Instruction = snapshot.Instruction,
            Symbol = snapshot.Symbol,
            Values = new Dictionary<string, string>
            {
                ["rip"] = Hex(r.Rip), ["rflags"] = Hex(r.Rflags),
                ["rax"] = Hex(r.Rax), ["rbx"] = Hex(r.Rbx), ["rcx"] = Hex(r.Rcx), ["rdx"] = Hex(r.Rdx),
                ["rsi"] = Hex(r.Rsi), ["rdi"] = Hex(r.Rdi), ["rbp"] = Hex(r.Rbp), ["rsp"] = Hex(r.Rsp),
                ["r8"] = Hex(r.R8), ["r9"] = Hex(r.R9), ["r10"] = Hex(r.R10), ["r11"] = Hex(r.R11),
                ["r12"] = Hex(r.R12), ["r13"] = Hex(r.R13), ["r14"] = Hex(r.R14), ["r15"] = Hex(r.R15),
                ["cr0"] = Hex(snapshot.Cr0), ["cr2"] = Hex(snapshot.Cr2), ["cr3"] = Hex(snapshot.Cr3), ["cr4"] = Hex(snapshot.Cr4),
                ["efer"] = Hex(snapshot.Efer),
            },
        };
    }

    private static string Hex(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);
}

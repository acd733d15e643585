using HvBench.Vmm;
using HvBench.Vmm.Reports;

namespace HvBench.Cli;

/// <summary>The human-readable end of a run: the verdict, registers where they help, then a short summary (run time,
/// exits by reason, hypercalls by status, SINTs).</summary>
internal static class RunReport
{
    public static void Print(RunResult result, TextWriter output)
    {
        output.WriteLine(result.Verdict);
        foreach (var snapshot in RegistersShown(result)) output.WriteLine(snapshot.Format());
        foreach (string line in Summary(result)) output.WriteLine(line);
    }

    /// <summary>Registers are shown for every failure except a plain non-zero exit code, where the guest said what it
    /// meant; for a failed check, the registers of its VP when it reported it.</summary>
    public static IReadOnlyList<RegisterSnapshot> RegistersShown(RunResult result)
    {
        if (result.Passed) return [];
        if (result.Outcome is not RunOutcome.GuestFailed) return result.Registers;
        return result.Assertion?.Registers is { } atReport ? [atReport] : [];
    }

    /// <summary>The summary lines.</summary>
    public static IEnumerable<string> Summary(RunResult result)
    {
        RunStatistics statistics = result.Statistics;
        var exits = string.Join(", ", statistics.Totals().Select(t => $"{t.Reason} {t.Count}"));
        yield return $"run time {result.Elapsed.TotalMilliseconds:0.0} ms; exits: {(exits.Length == 0 ? "none" : exits)}";
        var statuses = string.Join(", ", statistics.HypercallsByStatus.OrderByDescending(s => s.Value).ThenBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => $"{s.Key} {s.Value}"));
        long delivered = statistics.SintsAsserted - statistics.SintsNotDelivered;
        yield return $"hypercalls: {statistics.Hypercalls}{(statuses.Length == 0 ? "" : $" ({statuses})")}; " +
            $"SINTs delivered: {delivered}{(statistics.SintsNotDelivered == 0 ? "" : $" ({statistics.SintsNotDelivered} not delivered: target LAPIC disabled)")}";
        if (GuestMistakes(statistics) is { Length: > 0 } mistakes) yield return mistakes;
    }

    /// <summary>What the guest asked for that could not be done, when it did (docs/reliability.md): MSR accesses HvBench
    /// answered with #GP, signals and messages whose SIEF or SIM page lies outside RAM, and port I/O no device claimed
    /// (guest-abi.md promises those are counted in the run summary).</summary>
    private static string GuestMistakes(RunStatistics statistics)
    {
        var parts = new List<string>();
        if (statistics.MsrFaults > 0) parts.Add($"MSR accesses answered with #GP: {statistics.MsrFaults}");
        if (statistics.FlagsDroppedOutsideRam > 0) parts.Add($"event flags dropped (SIEF page outside RAM, or undeliverable under kvm-compat): {statistics.FlagsDroppedOutsideRam}");
        if (statistics.MessagesDroppedOutsideRam > 0) parts.Add($"messages dropped (SIM page outside RAM): {statistics.MessagesDroppedOutsideRam}");
        if (statistics.UnclaimedPortReads > 0 || statistics.UnclaimedPortWrites > 0)
            parts.Add($"unclaimed port accesses: {statistics.UnclaimedPortReads} reads, {statistics.UnclaimedPortWrites} writes");
        if (statistics.UnclaimedMmioReads > 0 || statistics.UnclaimedMmioWrites > 0)
            parts.Add($"unclaimed MMIO accesses: {statistics.UnclaimedMmioReads} reads, {statistics.UnclaimedMmioWrites} writes");
        return string.Join("; ", parts);
    }
}

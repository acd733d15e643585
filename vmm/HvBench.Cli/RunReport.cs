using HvBench.Vmm;

namespace HvBench.Cli;

/// <summary>The human-readable end of a run: the verdict, then a short summary.</summary>
internal static class RunReport
{
    public static void Print(RunResult result, TextWriter output)
    {
        output.WriteLine(result.Verdict);
        if (!result.Passed && result.Outcome is not RunOutcome.GuestFailed)
            foreach (var snapshot in result.Registers) output.WriteLine(snapshot.Format());
        var exits = string.Join(", ", result.Statistics.Totals().Select(t => $"{t.Reason} {t.Count}"));
        output.WriteLine($"run time {result.Elapsed.TotalMilliseconds:0.0} ms; exits: {(exits.Length == 0 ? "none" : exits)}");
    }
}

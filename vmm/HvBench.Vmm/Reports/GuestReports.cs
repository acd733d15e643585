namespace HvBench.Vmm.Reports;

/// <summary>Completes a run's verdict with what the guest itself reported: a fault record turns "guest exit code
/// 0xE00E" into a <see cref="RunOutcome.GuestFault"/> naming the vector, the instruction and the symbol, with the
/// faulting VP's registers taken from the record; an assertion record puts the check's message and location in the
/// reason and keeps the registers its VP had when it reported (its exit-port write). Runs once, after every VP thread has ended.</summary>
internal static class GuestReports
{
    public static RunResult Complete(RunResult result, IReadOnlyList<Machine> machines)
    {
        if (result.Outcome != RunOutcome.GuestFailed) return result;
        bool several = machines.Count > 1;
        foreach (Machine machine in machines)
        {
            ulong partition = machine.Config.PartitionId;
            if (GuestFaultReport.IsFaultExitCode(result.GuestExitCode)
                && GuestFaultReport.TryRead(machine.Memory, machine.Config.Image.Symbols, partition) is { } fault)
            {
                var registers = new List<RegisterSnapshot>(result.Registers.Count);
                foreach (RegisterSnapshot snapshot in result.Registers)
                    registers.Add(snapshot.PartitionId == partition && snapshot.VpIndex == fault.VpIndex ? fault.ToSnapshot(snapshot.Efer) : snapshot);
                return result with
                {
                    Outcome = RunOutcome.GuestFault,
                    Reason = fault.Summary(VpName(several, partition, fault.VpIndex)),
                    Registers = registers,
                    Fault = fault,
                };
            }
        }
        foreach (Machine machine in machines)
        {
            ulong partition = machine.Config.PartitionId;
            if (GuestAssertionReport.TryRead(machine.Memory, machine.Config.Image.Symbols, partition) is { } assertion)
                return result with
                {
                    Reason = assertion.Summary(VpName(several, partition, assertion.VpIndex)),
                    Assertion = assertion with { Registers = machine.ExitPortRegisters(assertion.VpIndex) },
                };
        }
        return result;
    }

    private static string VpName(bool several, ulong partition, int vpIndex) => several ? $"P{partition} VP{vpIndex}" : $"VP{vpIndex}";
}

namespace HvBench.Hyperv;

/// <summary>What <c>HvCallSignalEvent</c> means, whatever convention and form carried it (tlfs.md sections 3 and 9).</summary>
/// <remarks>
/// Check order (tlfs.md section 9 item 1, after the dispatcher's common checks): INVALID_HYPERCALL_INPUT (RsvdZ bits)
/// → INVALID_CONNECTION_ID → INVALID_PORT_ID (removed port, owner not active, not an event port) → INVALID_PARAMETER
/// (FlagNumber ≥ FlagCount) → INVALID_VP_INDEX → INVALID_SYNIC_STATE (SCONTROL, SIEFP, SINT masked) → set the flag.
/// Where this differs from KVM/QEMU: any FlagNumber below the port's FlagCount is accepted (they only take 0), and a
/// masked SINT is reported instead of silently dropping the interrupt.
/// This is the hot path: no allocation, no lock, no exception.
/// </remarks>
internal static class SignalEventHandler
{
    internal static HvStatus Signal(Partition caller, HvSignalEventInput input)
    {
        if (input.HasReservedBits)
        {
            return HvStatus.InvalidHypercallInput;
        }

        if (!caller.TryGetConnection(input.ConnectionId, out Connection? connection))
        {
            return HvStatus.InvalidConnectionId;
        }

        Partition owner = connection.PortPartition;
        if (!owner.TryGetPort(connection.PortId, out Port? port) || !owner.IsActive || port is not EventPort eventPort)
        {
            return HvStatus.InvalidPortId;
        }

        if (input.FlagNumber >= eventPort.FlagCount)
        {
            return HvStatus.InvalidParameter;
        }

        // Ports may name a VP the partition does not have (scenario.md): that is how a guest reaches this status.
        // HV_ANY_VP ports are not modelled, so there is no "no available VP" search.
        if ((uint)eventPort.TargetVp >= (uint)owner.VpCount)
        {
            return HvStatus.InvalidVpIndex;
        }

        SynicState synic = owner.SynicOf(eventPort.TargetVp);
        SynicPageRegister siefp = synic.Siefp;
        SintRegister sint = synic.Sint(eventPort.TargetSint);
        if (!synic.Scontrol.Enabled || !siefp.Enabled || sint.Masked)
        {
            return HvStatus.InvalidSynicState;
        }

        // Flag k of SINT n is bit k % 8 of byte n * 256 + k / 8 of the SIEF page (tlfs.md section 6.1), which is bit
        // k % 64 of the little-endian word at n * 256 + (k / 64) * 8: one atomic OR on that word, as OVMM's fetch_or.
        int flag = eventPort.BaseFlagNumber + input.FlagNumber;
        ulong word = siefp.Gpa + (ulong)((eventPort.TargetSint * 256) + ((flag >> 6) * sizeof(ulong)));
        ulong mask = 1UL << (flag & 63);
        if (!owner.Memory.TryAtomicOr64(word, mask, out ulong previous))
        {
            // The guest pointed SIEFP outside RAM. The TLFS treats such a page as "just not accessible" and the MSR
            // write did not fault, so the signal still succeeds and the flag is lost, like a DMA write to memory that
            // does not exist. No interrupt either: a guest could never find the flag that would explain it. The run's
            // report counts it, so the signal is still accounted for.
            owner.CountDroppedFlag();
            return HvStatus.Success;
        }

        // Edge-triggered: only the 0 → 1 change interrupts, and a polling SINT never does (tlfs.md section 3.3).
        if ((previous & mask) == 0 && !sint.Polling)
        {
            owner.RaiseSint(eventPort.TargetVp, sint);
        }

        return HvStatus.Success;
    }
}

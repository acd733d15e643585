namespace HvBench.Hyperv;

/// <summary>What <c>HvCallSignalEvent</c> means, whatever convention and form carried it (tlfs.md sections 3 and 9).</summary>
/// <remarks>
/// <see cref="StatusProfile.Tlfs"/> check order (tlfs.md section 9 item 1, after the dispatcher's common checks):
/// INVALID_HYPERCALL_INPUT (RsvdZ bits) → INVALID_CONNECTION_ID → INVALID_PORT_ID (removed port, owner not active, not
/// an event port) → INVALID_PARAMETER (FlagNumber ≥ FlagCount) → INVALID_VP_INDEX → INVALID_SYNIC_STATE (SCONTROL,
/// SIEFP, SINT masked) → set the flag. Where this differs from KVM/QEMU: any FlagNumber below the port's FlagCount is
/// accepted (they only take 0), and a masked SINT is reported instead of silently dropping the interrupt.
/// <see cref="StatusProfile.KvmCompat"/> answers as KVM and QEMU do (tlfs.md sections 3.2 and 3.3), see
/// <see cref="SignalAsKvmAndQemu"/>.
/// This is the hot path: no allocation, no lock, no exception.
/// </remarks>
internal static class SignalEventHandler
{
    internal static HvStatus Signal(Partition caller, HvSignalEventInput input) =>
        caller.StatusProfile == StatusProfile.KvmCompat ? SignalAsKvmAndQemu(caller, input) : SignalPerTlfs(caller, input);

    private static HvStatus SignalPerTlfs(Partition caller, HvSignalEventInput input)
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

        // Ports may name a VP the partition does not have (scenario.md): the target VP "no longer exists". An HV_ANY_VP
        // port skips VPs whose SynIC or SIEF page is off, and with none left there are "no available VPs"
        // (tlfs.md section 3.1): the same status.
        int targetVp = TargetVpOf(eventPort, owner);
        if (targetVp < 0)
        {
            return HvStatus.InvalidVpIndex;
        }

        SynicState synic = owner.SynicOf(targetVp);
        SynicPageRegister siefp = synic.Siefp;
        SintRegister sint = synic.Sint(eventPort.TargetSint);
        if (!synic.Scontrol.Enabled || !siefp.Enabled || sint.Masked)
        {
            return HvStatus.InvalidSynicState;
        }

        // Edge-triggered: only the 0 → 1 change interrupts, and a polling SINT never does (tlfs.md section 3.3).
        if (SetFlag(owner, eventPort, input.FlagNumber, siefp) && !sint.Polling)
        {
            owner.RaiseSint(targetVp, sint);
        }

        return HvStatus.Success;
    }

    /// <summary>KVM's <c>kvm_hvcall_signal_event</c>, then QEMU's <c>hyperv_hcall_signal_event</c> and
    /// <c>hyperv_set_event_flag</c> (tlfs.md sections 3.2 and 3.3).</summary>
    private static HvStatus SignalAsKvmAndQemu(Partition caller, HvSignalEventInput input)
    {
        // KVM and QEMU: "all known users pass 0", so a non-zero FlagNumber is a failed lookup, checked before RsvdZ.
        if (input.FlagNumber != 0)
        {
            return HvStatus.InvalidPortId;
        }

        // KVM and QEMU: ConnectionId bits 31:24 and bits 63:48 are reserved-zero.
        if (input.HasReservedBits)
        {
            return HvStatus.InvalidHypercallInput;
        }

        // QEMU: no event notifier registered for the connection.
        if (!caller.TryGetConnection(input.ConnectionId, out Connection? connection))
        {
            return HvStatus.InvalidConnectionId;
        }

        // From here QEMU has already answered SUCCESS (event_notifier_set); the flag is set later by the notifier's
        // owner, whose failures never reach the caller. They are counted as dropped flags instead.
        Partition owner = connection.PortPartition;
        int targetVp;
        if (!owner.TryGetPort(connection.PortId, out Port? port) || !owner.IsActive || port is not EventPort eventPort
            || (targetVp = TargetVpOf(eventPort, owner)) < 0)
        {
            owner.CountDroppedFlag();
            return HvStatus.Success;
        }

        // hyperv_set_event_flag: SynIC or SIEF page disabled → -ENXIO, nothing set.
        SynicState synic = owner.SynicOf(targetVp);
        SynicPageRegister siefp = synic.Siefp;
        if (!synic.Scontrol.Enabled || !siefp.Enabled)
        {
            owner.CountDroppedFlag();
            return HvStatus.Success;
        }

        // KVM synic_set_irq: a masked SINT has no vector (-ENOENT), so the flag stays set and the interrupt is lost;
        // the polling bit is not looked at.
        SintRegister sint = synic.Sint(eventPort.TargetSint);
        if (SetFlag(owner, eventPort, flagNumber: 0, siefp) && !sint.Masked)
        {
            owner.RaiseSint(targetVp, sint);
        }

        return HvStatus.Success;
    }

    /// <summary>The VP that receives <paramref name="port"/>'s flags: its target, or for <see cref="Port.AnyVp"/> the
    /// lowest VP whose SynIC and SIEF page are enabled (the TLFS leaves the choice to the hypervisor); -1 when the
    /// target does not exist or no VP is available.</summary>
    private static int TargetVpOf(EventPort port, Partition owner)
    {
        if (port.TargetVp != Port.AnyVp)
        {
            return (uint)port.TargetVp < (uint)owner.VpCount ? port.TargetVp : -1;
        }

        for (int vp = 0; vp < owner.VpCount; vp++)
        {
            SynicState synic = owner.SynicOf(vp);
            if (synic.Scontrol.Enabled && synic.Siefp.Enabled)
            {
                return vp;
            }
        }

        return -1;
    }

    /// <summary>Sets flag <paramref name="flagNumber"/> of <paramref name="port"/> in the SIEF page at
    /// <paramref name="siefp"/>.</summary>
    /// <returns>True if the flag went 0 → 1, the only change that interrupts (tlfs.md section 3.3).</returns>
    private static bool SetFlag(Partition owner, EventPort port, ushort flagNumber, SynicPageRegister siefp)
    {
        // Flag k of SINT n is bit k % 8 of byte n * 256 + k / 8 of the SIEF page (tlfs.md section 6.1), which is bit
        // k % 64 of the little-endian word at n * 256 + (k / 64) * 8: one atomic OR on that word, as OVMM's fetch_or.
        int flag = port.BaseFlagNumber + flagNumber;
        ulong word = siefp.Gpa + (ulong)((port.TargetSint * 256) + ((flag >> 6) * sizeof(ulong)));
        ulong mask = 1UL << (flag & 63);
        if (!owner.Memory.TryAtomicOr64(word, mask, out ulong previous))
        {
            // The guest pointed SIEFP outside RAM. The TLFS treats such a page as "just not accessible" and the MSR
            // write did not fault, so the signal still succeeds and the flag is lost, like a DMA write to memory that
            // does not exist. No interrupt either: a guest could never find the flag that would explain it. The run's
            // report counts it, so the signal is still accounted for.
            owner.CountDroppedFlag();
            return false;
        }

        return (previous & mask) == 0;
    }
}

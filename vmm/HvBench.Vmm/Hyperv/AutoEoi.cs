using HvBench.Kvm;
using HvBench.Kvm.Interop;

namespace HvBench.Vmm.Hyperv;

/// <summary>Hyper-V's auto-EOI for SINTs injected as ordinary fixed MSIs (tlfs.md 6.3): KVM does it only with its
/// in-kernel SynIC, which our hosts lack, so the VMM clears the vector's ISR bit itself. After injecting an auto-EOI
/// vector it records it (<see cref="Injected"/> says when it also kicks the target VP); at the target's next exit, on its
/// own thread (vCPU ioctls belong to it), <see cref="Service"/> reads the
/// LAPIC with <c>KVM_GET_LAPIC</c> and clears the ISR bit of each such vector the LAPIC has accepted, writing it back with
/// <c>KVM_SET_LAPIC</c>. A vector still waiting in IRR stays pending and is looked at again at the VP's next exit or
/// kick (the watchdog kicks such VPs every millisecond, RunControl.Watch). On hosts whose LAPIC never keeps ISR set (ours, host-kvm.md)
/// there is nothing to clear and the cost is the kick and one KVM_GET_LAPIC.
/// KVM_SET_LAPIC writes IRR back too: <see cref="Gate"/> keeps HvBench's own MSIs out of the window between the two
/// ioctls. An IPI the guest itself sends to this VP, or its LAPIC timer, can still fall into that window on a host whose
/// LAPIC keeps ISR and be lost; KVM has no narrower way to clear one ISR bit.</summary>
internal sealed class AutoEoi(int vpCount, Action<int> kick)
{
    private readonly ulong[] _pending = new ulong[vpCount * 4];
    private long _cleared;

    /// <summary>Held around every SINT injection and every LAPIC rewrite.</summary>
    public LapicWriteGate Gate { get; } = new(vpCount);

    /// <summary>ISR bits the VMM cleared so far.</summary>
    public long ClearedIsrBits => Interlocked.Read(ref _cleared);

    /// <summary>True when VP <paramref name="vpIndex"/> has auto-EOI vectors to look at.</summary>
    public bool HasPending(int vpIndex)
    {
        int at = vpIndex * 4;
        return (Volatile.Read(ref _pending[at]) | Volatile.Read(ref _pending[at + 1]) |
                Volatile.Read(ref _pending[at + 2]) | Volatile.Read(ref _pending[at + 3])) != 0;
    }

    /// <summary>Records that <paramref name="vector"/> was injected into VP <paramref name="vpIndex"/> as auto-EOI. The VP
    /// is kicked only when an earlier auto-EOI vector still waits for its ISR bit to be cleared, which could hold this
    /// one back. Otherwise the VP's next exit will do (a handler usually makes one soon: it signals back, posts, or
    /// writes EOM), or else the watchdog's kick within a millisecond (RunControl.Watch): a kick right away would mostly arrive before the
    /// vector is even taken and put an exit in front of the handler (docs/performance.md, "Auto-EOI: the user-space
    /// LAPIC route, measured").</summary>
    public void Injected(int vpIndex, byte vector)
    {
        bool earlierWaiting = HasPending(vpIndex);
        Interlocked.Or(ref _pending[vpIndex * 4 + (vector >> 6)], 1UL << (vector & 63));
        if (earlierWaiting) kick(vpIndex);
    }

    /// <summary>On VP <paramref name="vpIndex"/>'s thread, between runs: clears the ISR bits of accepted auto-EOI vectors.</summary>
    public void Service(int vpIndex, Vcpu vcpu)
    {
        if (!HasPending(vpIndex)) return;
        Span<ulong> pending = stackalloc ulong[4];
        int cleared;
        Gate.EnterRewrite(vpIndex);
        try
        {
            vcpu.GetLapic(out KvmLapicState lapic);
            for (int i = 0; i < 4; i++) pending[i] = Interlocked.Exchange(ref _pending[vpIndex * 4 + i], 0);
            cleared = ClearAcceptedVectors(LapicRegisterPage.Of(ref lapic), pending);
            if (cleared > 0) vcpu.SetLapic(lapic);
        }
        finally
        {
            Gate.ExitRewrite(vpIndex);
        }
        Interlocked.Add(ref _cleared, cleared);
        for (int i = 0; i < 4; i++)
            if (pending[i] != 0) Interlocked.Or(ref _pending[vpIndex * 4 + i], pending[i]);
    }

    /// <summary>The pure part: for each vector in <paramref name="pending"/>, clears its ISR bit if set, and keeps it
    /// pending while its IRR bit is set, else drops it from <paramref name="pending"/>. A vector can be in both: a second
    /// injection arrived while its first was in service, so once the ISR bit is cleared the LAPIC accepts it again and
    /// sets ISR again, which the next service must clear too. Returns how many ISR bits were cleared.
    /// <paramref name="lapicRegisters"/> is the xAPIC page of <c>struct kvm_lapic_state</c>
    /// (<see cref="LapicRegisterPage"/>).</summary>
    public static int ClearAcceptedVectors(Span<byte> lapicRegisters, Span<ulong> pending)
    {
        int cleared = 0;
        for (int vector = 0; vector < 256; vector++)
        {
            ulong bit = 1UL << (vector & 63);
            if ((pending[vector >> 6] & bit) == 0) continue;
            if (LapicRegisterPage.IsSet(lapicRegisters, LapicRegisterPage.Isr, vector))
            {
                LapicRegisterPage.Clear(lapicRegisters, LapicRegisterPage.Isr, vector);
                cleared++;
            }
            if (!LapicRegisterPage.IsSet(lapicRegisters, LapicRegisterPage.Irr, vector))
                pending[vector >> 6] &= ~bit;
        }
        return cleared;
    }
}

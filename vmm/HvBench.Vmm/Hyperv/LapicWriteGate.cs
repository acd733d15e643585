namespace HvBench.Vmm.Hyperv;

/// <summary>Keeps HvBench's own interrupts out of a VP's LAPIC while the VMM rewrites that LAPIC. KVM_SET_LAPIC writes
/// the whole register page back, IRR included, so an MSI that lands between KVM_GET_LAPIC and KVM_SET_LAPIC would be
/// erased: each injection holds the gate shared for the one KVM_SIGNAL_MSI, and the rewrite holds it alone. Injections
/// never wait on each other; they wait only while a rewrite (two ioctls) is in progress. Interrupts that do not come
/// from HvBench (a guest's own IPIs, the LAPIC timer) are beyond its reach: see <see cref="AutoEoi"/>.</summary>
internal sealed class LapicWriteGate(int vpCount)
{
    // Per VP: injections in progress, and whether a rewrite holds (or waits for) the gate. Interlocked operations are
    // full fences, so an injection that saw no rewrite is seen by the rewrite, which then waits for it (Dekker).
    private readonly int[] _injecting = new int[vpCount];
    private readonly int[] _rewriting = new int[vpCount];

    /// <summary>Before an interrupt is sent to VP <paramref name="vpIndex"/>.</summary>
    public void EnterInjection(int vpIndex)
    {
        while (true)
        {
            Interlocked.Increment(ref _injecting[vpIndex]);
            if (Volatile.Read(ref _rewriting[vpIndex]) == 0) return;
            Interlocked.Decrement(ref _injecting[vpIndex]);
            var spin = new SpinWait();
            while (Volatile.Read(ref _rewriting[vpIndex]) != 0) spin.SpinOnce();
        }
    }

    /// <summary>After the interrupt was sent.</summary>
    public void ExitInjection(int vpIndex) => Interlocked.Decrement(ref _injecting[vpIndex]);

    /// <summary>Before VP <paramref name="vpIndex"/>'s LAPIC is read and written back (on that VP's own thread; one
    /// rewrite per VP at a time).</summary>
    public void EnterRewrite(int vpIndex)
    {
        Interlocked.Exchange(ref _rewriting[vpIndex], 1);
        var spin = new SpinWait();
        while (Volatile.Read(ref _injecting[vpIndex]) != 0) spin.SpinOnce();
    }

    /// <summary>After the LAPIC was written back.</summary>
    public void ExitRewrite(int vpIndex) => Volatile.Write(ref _rewriting[vpIndex], 0);
}

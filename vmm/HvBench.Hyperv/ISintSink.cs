namespace HvBench.Hyperv;

/// <summary>"Assert this SINT vector on that VP": the model's only way to raise an interrupt (style.md section 1).</summary>
/// <remarks>Called from whichever thread ran the hypercall or MSR write, possibly several at once, never while the
/// model holds a lock. The VMM injects a fixed, edge-triggered interrupt (for example with <c>KVM_SIGNAL_MSI</c>).</remarks>
public interface ISintSink
{
    /// <summary>Raises <paramref name="vector"/> on VP <paramref name="vpIndex"/> of the sink's partition; with
    /// <paramref name="autoEoi"/> the VMM must perform the EOI itself (tlfs.md section 6.3).</summary>
    void AssertSint(int vpIndex, byte vector, bool autoEoi);
}

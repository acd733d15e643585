namespace HvBench.Hyperv;

/// <summary>What one hypercall did, for traces and counters; the guest sees <see cref="ResultValue"/> in RAX.</summary>
/// <param name="CallCode">Bits 15:0 of the input value, implemented or not.</param>
/// <param name="Status">The status returned to the guest.</param>
/// <param name="Fast">Bit 16 of the input value.</param>
public readonly record struct HypercallOutcome(ushort CallCode, HvStatus Status, bool Fast)
{
    /// <summary>The call code as an enum (may be a value without a name).</summary>
    public HypercallCode Code => (HypercallCode)CallCode;

    /// <summary>The result value written to RAX (tlfs.md section 1.2; no reps for simple calls).</summary>
    public ulong ResultValue => HypercallResultValue.Encode(Status);
}

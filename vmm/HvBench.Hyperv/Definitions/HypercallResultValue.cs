namespace HvBench.Hyperv;

/// <summary>Encodes the hypercall result value written to RAX (tlfs.md section 1.2).</summary>
/// <remarks>15:0 <c>HV_STATUS</c>, 31:16 reserved (0), 43:32 reps completed, 63:44 reserved (0); the 12-bit
/// reps field follows OVMM's <c>HypercallOutput</c>, since the TLFS table overlaps there.</remarks>
public static class HypercallResultValue
{
    /// <summary>Builds the result value for <paramref name="status"/> with <paramref name="repsCompleted"/> (0 for simple calls).</summary>
    public static ulong Encode(HvStatus status, int repsCompleted = 0) =>
        status.Value | (((ulong)repsCompleted & 0xFFF) << 32);

    /// <summary>Extracts the status, bits 15:0.</summary>
    public static HvStatus Status(ulong resultValue) => new((ushort)resultValue);

    /// <summary>Extracts reps completed, bits 43:32.</summary>
    public static int RepsCompleted(ulong resultValue) => (int)((resultValue >> 32) & 0xFFF);
}

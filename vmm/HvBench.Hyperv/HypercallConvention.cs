namespace HvBench.Hyperv;

/// <summary>How a partition's guest passes hypercall inputs in registers (guest-abi.md "Register conventions").</summary>
/// <remarks>Both conventions return the result value (tlfs.md section 1.2) in RAX and change no other register.</remarks>
public enum HypercallConvention
{
    /// <summary>The TLFS x64 convention (tlfs.md section 1.3): RCX = hypercall input value; fast calls pass their first
    /// 16 input bytes in RDX and R8 (fast <c>HvCallSignalEvent</c>: RDX = ConnectionId in bits 31:0 | FlagNumber in bits
    /// 47:32, bits 63:48 zero); slow calls pass the input GPA in RDX and the output GPA in R8.</summary>
    Tlfs,

    /// <summary>The project's design-card convention: RAX = hypercall input value (the card writes just 0x5D).
    /// <c>HvCallSignalEvent</c> always takes its operands from registers, whatever the Fast bit says: RBX = ConnectionId
    /// (bits 63:32 must be 0) and RCX = FlagNumber (bits 63:16 must be 0); a non-zero high bit gives
    /// <c>HV_STATUS_INVALID_HYPERCALL_INPUT</c>, exactly like the RsvdZ bits of the TLFS input block. Every other call
    /// follows the TLFS rules with RBX and RCX in place of RDX and R8: slow calls pass the input GPA in RBX and the
    /// output GPA in RCX, fast calls their first 16 input bytes in RBX and RCX. The result value replaces RAX.</summary>
    Rax,
}

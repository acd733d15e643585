using System.Runtime.CompilerServices;

namespace HvBench.Hyperv;

/// <summary>Decodes a hypercall's input value and inputs, runs the call and returns its status (tlfs.md sections 1 and 9).</summary>
/// <remarks>
/// The checks common to every call come in this order, which puts the codes that reveal least first (TLFS "Ordering
/// of Error Conditions") and matches KVM's <c>kvm_hv_hypercall</c>:
/// <list type="number">
/// <item>ACCESS_DENIED when the call's privilege (0x40000003 EBX) is missing; an unknown code needs none.</item>
/// <item>INVALID_HYPERCALL_INPUT when a reserved bit of the input value is set (<see cref="HypercallInputValue.ReservedMask"/>).</item>
/// <item>INVALID_HYPERCALL_CODE for a code that is not implemented.</item>
/// <item>INVALID_HYPERCALL_INPUT when a simple call has a rep count, rep start index or variable header.</item>
/// <item>Reading the input block: from registers, or for slow calls INVALID_ALIGNMENT when the input GPA is not
/// 8-aligned, the block crosses a page or lies outside RAM (tlfs.md section 9); then, under
/// <see cref="StatusProfile.Tlfs"/>, INVALID_ALIGNMENT when the output GPA is not 8-aligned or lies outside RAM (TLFS
/// "Alignment Requirements" apply to both GPAs).</item>
/// <item>The call's own checks (<see cref="SignalEventHandler"/>, <see cref="PostMessageHandler"/>).</item>
/// </list>
/// #UD for CPL &gt; 0 or real mode comes before all of this and is the VMM's job: the model never sees such a call.
/// Neither implemented call has output parameters, so their output block is empty: a zero-length output at GPA 0, what
/// Linux passes, is valid, and nothing is ever written there. Under <see cref="StatusProfile.KvmCompat"/> the output GPA
/// is not looked at at all (KVM ignores it for these calls).
/// Both status profiles share these common checks: KVM's <c>kvm_hv_hypercall</c> makes the same ones in the same
/// order, with the same reserved-bit mask.
/// </remarks>
internal static class HypercallDispatcher
{
    private const int PageSize = 4096;

    internal static HypercallOutcome Dispatch<TRegisters>(Partition caller, in TRegisters registers)
        where TRegisters : struct, IHypercallRegisters
    {
        var input = new HypercallInputValue(registers.InputValue);
        HvStatus status = Run(caller, input, registers);
        return new HypercallOutcome(input.CallCode, status, input.IsFast);
    }

    private static HvStatus Run<TRegisters>(Partition caller, HypercallInputValue input, in TRegisters registers)
        where TRegisters : struct, IHypercallRegisters
    {
        var code = (HypercallCode)input.CallCode;
        PartitionPrivileges required = RequiredPrivilege(code);
        if ((caller.Privileges & required) != required)
        {
            return HvStatus.AccessDenied;
        }

        if (input.HasReservedBits)
        {
            return HvStatus.InvalidHypercallInput;
        }

        switch (code)
        {
            case HypercallCode.HvCallSignalEvent:
                return SignalEvent(caller, input, registers);
            case HypercallCode.HvCallPostMessage:
                return PostMessage(caller, input, registers);
            default:
                return HvStatus.InvalidHypercallCode;
        }
    }

    private static HvStatus SignalEvent<TRegisters>(Partition caller, HypercallInputValue input, in TRegisters registers)
        where TRegisters : struct, IHypercallRegisters
    {
        if (input.HasRepOrVariableHeader)
        {
            return HvStatus.InvalidHypercallInput;
        }

        Span<byte> block = stackalloc byte[HvSignalEventInput.Size];
        HvStatus status = ReadInput(caller, HypercallCode.HvCallSignalEvent, input.IsFast, registers, block);
        return status.IsSuccess ? SignalEventHandler.Signal(caller, HvSignalEventInput.Read(block)) : status;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static HvStatus PostMessage<TRegisters>(Partition caller, HypercallInputValue input, in TRegisters registers)
        where TRegisters : struct, IHypercallRegisters
    {
        if (input.HasRepOrVariableHeader)
        {
            return HvStatus.InvalidHypercallInput;
        }

        // HvPostMessage has no fast form: its 256-byte block cannot travel in registers. Hyper-V's answer is not
        // documented; QEMU, which completes the call for KVM (hyperv_hcall_post_message), returns
        // INVALID_HYPERCALL_CODE, and so do we. (OVMM returns INVALID_HYPERCALL_INPUT: "fast input too large".)
        if (input.IsFast)
        {
            return HvStatus.InvalidHypercallCode;
        }

        Span<byte> block = stackalloc byte[HvPostMessageInput.Size];
        HvStatus status = ReadInput(caller, HypercallCode.HvCallPostMessage, fast: false, registers, block);
        return status.IsSuccess ? PostMessageHandler.Post(caller, new HvPostMessageInput(block)) : status;
    }

    /// <summary>Fills <paramref name="block"/> from registers or, for a slow call, from guest memory at the input GPA.</summary>
    private static HvStatus ReadInput<TRegisters>(Partition caller, HypercallCode code, bool fast, in TRegisters registers, Span<byte> block)
        where TRegisters : struct, IHypercallRegisters
    {
        if (registers.TryReadRegisterInput(code, fast, block, out HvStatus status))
        {
            return status;
        }

        // TLFS "Alignment Requirements": 8-byte aligned, within one page; a GPA outside RAM is INVALID_ALIGNMENT too
        // (TLFS common codes; KVM also answers an unreadable block that way).
        ulong gpa = registers.InputGpa;
        if ((gpa & 7) != 0 || (int)(gpa & (PageSize - 1)) + block.Length > PageSize)
        {
            return HvStatus.InvalidAlignment;
        }

        if (!caller.Memory.TryRead(gpa, block))
        {
            return HvStatus.InvalidAlignment;
        }

        // The same rules for the (empty) output block: 8-byte aligned and inside RAM.
        ulong outputGpa = registers.OutputGpa;
        if (caller.StatusProfile == StatusProfile.Tlfs && ((outputGpa & 7) != 0 || outputGpa >= caller.Memory.Size))
        {
            return HvStatus.InvalidAlignment;
        }

        return HvStatus.Success;
    }

    private static PartitionPrivileges RequiredPrivilege(HypercallCode code) => code switch
    {
        HypercallCode.HvCallSignalEvent => PartitionPrivileges.SignalEvents,
        HypercallCode.HvCallPostMessage => PartitionPrivileges.PostMessages,
        _ => PartitionPrivileges.None,
    };
}

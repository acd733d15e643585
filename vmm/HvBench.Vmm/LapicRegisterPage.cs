using HvBench.Kvm.Interop;

namespace HvBench.Vmm;

/// <summary>The xAPIC register page of <c>struct kvm_lapic_state</c> as KVM_GET_LAPIC and KVM_SET_LAPIC carry it: the
/// in-service (ISR) and request (IRR) registers are eight 32-bit registers each, one per 32 vectors, at a 16-byte
/// stride (Intel SDM vol. 3, table 11-1).</summary>
internal static class LapicRegisterPage
{
    /// <summary>Offset of the in-service register (ISR).</summary>
    public const int Isr = 0x100;

    /// <summary>Offset of the interrupt request register (IRR).</summary>
    public const int Irr = 0x200;

    /// <summary>The 1024 bytes of <paramref name="lapic"/>, in place.</summary>
    public static Span<byte> Of(ref KvmLapicState lapic) =>
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(new Span<KvmLapicState>(ref lapic));

    /// <summary>Whether <paramref name="vector"/>'s bit is set in the register at <paramref name="register"/>
    /// (<see cref="Isr"/> or <see cref="Irr"/>).</summary>
    public static bool IsSet(ReadOnlySpan<byte> page, int register, int vector) => (page[ByteOf(register, vector)] & MaskOf(vector)) != 0;

    /// <summary>Sets <paramref name="vector"/>'s bit in the register at <paramref name="register"/>.</summary>
    public static void Set(Span<byte> page, int register, int vector) => page[ByteOf(register, vector)] |= MaskOf(vector);

    /// <summary>Clears <paramref name="vector"/>'s bit in the register at <paramref name="register"/>.</summary>
    public static void Clear(Span<byte> page, int register, int vector) => page[ByteOf(register, vector)] &= (byte)~MaskOf(vector);

    private static int ByteOf(int register, int vector) => register + vector / 32 * 0x10 + vector % 32 / 8;

    private static byte MaskOf(int vector) => (byte)(1 << (vector % 8));
}

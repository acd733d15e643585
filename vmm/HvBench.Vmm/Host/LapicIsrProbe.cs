using System.Buffers.Binary;
using HvBench.Kvm;
using HvBench.Kvm.Interop;
using HvBench.Vmm.Boot;
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Vmm.Host;

/// <summary>
/// The tiny guest that measures whether this host's in-kernel LAPIC keeps a delivered vector's ISR bit set until the
/// guest's EOI, as the architecture (and KVM on VT-x/AMD-V) does; <c>kvm_pvm</c> was seen never to (host-kvm.md).
/// At the guest-abi.md boot state, with in-kernel LAPICs, the guest software-enables its LAPIC (SVR = 0x1FF),
/// tells the host it is ready on a port, and waits in <c>sti; hlt</c>. The host injects <see cref="Vector"/> with
/// <c>KVM_SIGNAL_MSI</c>, as SINTs are delivered; the vector's IDT handler writes the exit port without an EOI, and
/// the host then reads the LAPIC (<c>KVM_GET_LAPIC</c>): the vector's ISR bit set means the LAPIC keeps ISR.
/// </summary>
internal static class LapicIsrProbe
{
    /// <summary>The vector injected: above the exceptions, in a priority class (4) nothing else uses in the probe.</summary>
    public const byte Vector = 0x40;

    private const ulong CodeAddress = 0x100000;
    private const ulong HandlerAddress = 0x101000;
    private const ulong IdtAddress = 0x102000;
    private const ulong MemoryBytes = 4UL << 20;
    private const ulong LapicSpuriousVectorRegister = 0xFEE000F0;
    private const uint LapicEnabledSpuriousVector = 0x1FF; // bit 8: APIC software-enabled; spurious vector 0xFF
    private const byte ReadyPort = 0xF6;
    private const byte ExitPort = 0xF4;

    /// <summary>A 64-bit interrupt gate (type 0xE, present, DPL 0) to <paramref name="handler"/> in the code segment
    /// <paramref name="selector"/>, as the 16 bytes of an IDT entry (Intel SDM vol. 3, figure 6-8).</summary>
    public static byte[] InterruptGate(ulong handler, ushort selector)
    {
        byte[] gate = new byte[16];
        BinaryPrimitives.WriteUInt16LittleEndian(gate.AsSpan(0), (ushort)handler);
        BinaryPrimitives.WriteUInt16LittleEndian(gate.AsSpan(2), selector);
        gate[5] = 0x8E;
        BinaryPrimitives.WriteUInt16LittleEndian(gate.AsSpan(6), (ushort)(handler >> 16));
        BinaryPrimitives.WriteUInt32LittleEndian(gate.AsSpan(8), (uint)(handler >> 32));
        return gate;
    }

    /// <summary>Runs the probe on a fresh VM of <paramref name="kvm"/>: true when the LAPIC kept the vector's ISR bit
    /// set in the handler, false when it did not.</summary>
    /// <exception cref="MachineException">The guest did not reach its ports in time, exited otherwise, or
    /// <c>KVM_SIGNAL_MSI</c> delivered nothing.</exception>
    /// <exception cref="KvmException">KVM refused a step.</exception>
    public static bool Run(KvmSystem kvm)
    {
        using ProbeVm probe = ProbeVm.Create(kvm, MemoryBytes, CodeAddress, irqchip: true);
        probe.Memory.TryWrite(CodeAddress, AssembleMain());
        probe.Memory.TryWrite(HandlerAddress, AssembleHandler());
        probe.Memory.TryWrite(IdtAddress + Vector * 16UL, InterruptGate(HandlerAddress, BootLayout.CodeSelector));
        Vcpu vcpu = probe.Vcpu;
        KvmSregs sregs = vcpu.GetSregs();
        sregs.Idt = new KvmDtable { Base = IdtAddress, Limit = 256 * 16 - 1 };
        vcpu.SetSregs(sregs);

        probe.RunToExitPort(ExitPort, "the LAPIC probe", "the LAPIC probe's handler did not run", port =>
        {
            if (port != ReadyPort) return false;
            // The LAPIC is enabled now (an MSI to a software-disabled LAPIC is dropped); the vCPU is outside KVM_RUN, so
            // the vector waits in IRR until the guest's sti.
            if (!probe.Vm.SignalMsi(0, Vector)) throw new MachineException("the LAPIC probe's KVM_SIGNAL_MSI delivered nothing");
            return true;
        });

        vcpu.GetLapic(out KvmLapicState lapic);
        return LapicRegisterPage.IsSet(LapicRegisterPage.Of(ref lapic), LapicRegisterPage.Isr, Vector);
    }

    /// <summary>Enables the LAPIC, reports ready, then waits for the interrupt with interrupts on.</summary>
    private static byte[] AssembleMain()
    {
        var a = new Assembler(64);
        Label wait = a.CreateLabel();
        // Through a register: as a 32-bit displacement 0xFEE000F0 would be sign-extended to 0xFFFFFFFFFEE000F0.
        a.mov(eax, (uint)LapicSpuriousVectorRegister);
        a.mov(__dword_ptr[rax], LapicEnabledSpuriousVector);
        a.@out(ReadyPort, al);
        a.sti();
        a.Label(ref wait);
        a.hlt();
        a.jmp(wait);
        return Assemble(a, CodeAddress);
    }

    /// <summary>The vector's handler: straight to the exit port, with no EOI, so the ISR bit is still set (on a LAPIC
    /// that keeps it) when the host looks.</summary>
    private static byte[] AssembleHandler()
    {
        var a = new Assembler(64);
        Label stop = a.CreateLabel();
        a.mov(al, Vector);
        a.@out(ExitPort, al);
        a.Label(ref stop);
        a.cli();
        a.hlt();
        a.jmp(stop);
        return Assemble(a, HandlerAddress);
    }

    private static byte[] Assemble(Assembler a, ulong address)
    {
        using var code = new MemoryStream();
        a.Assemble(new StreamCodeWriter(code), address);
        return code.ToArray();
    }
}

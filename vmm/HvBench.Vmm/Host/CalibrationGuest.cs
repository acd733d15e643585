using System.Diagnostics;
using HvBench.Kvm;
using HvBench.Vmm.Boot;
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Vmm.Host;

/// <summary>
/// The tiny guest that tells whether this host runs guest CPL 0 natively or in KVM's instruction emulator
/// (host-kvm.md, "guest ring 0 is emulated here"): at the guest-abi.md boot state it times a <c>dec ecx; jnz</c> loop
/// with <c>lfence; rdtsc</c>, stores the cycles and writes 0 to the exit port. It runs on a bare VM and vCPU (no
/// irqchip, no Hyper-V), so the vCPU's <c>insn_emulation</c> stat can be read before and after.
/// </summary>
internal static class CalibrationGuest
{
    /// <summary>Loop iterations: about 10 ms when emulated, a few microseconds when native.</summary>
    public const int Iterations = 10_000;

    private const ulong CodeAddress = 0x100000;
    private const ulong ResultAddress = 0x110000;
    private const ulong MemoryBytes = 4UL << 20;
    private const byte ExitPort = 0xF4;

    /// <summary>The guest's code, to be loaded at 0x100000.</summary>
    public static byte[] Assemble()
    {
        var a = new Assembler(64);
        Label loop = a.CreateLabel();
        a.lfence();
        a.rdtsc();
        a.shl(rdx, 32);
        a.or(rax, rdx);
        a.mov(r8, rax);
        a.mov(ecx, Iterations);
        a.Label(ref loop);
        a.dec(ecx);
        a.jnz(loop);
        a.lfence();
        a.rdtsc();
        a.shl(rdx, 32);
        a.or(rax, rdx);
        a.sub(rax, r8);
        a.mov(__qword_ptr[ResultAddress], rax);
        a.xor(eax, eax);
        a.@out(ExitPort, al);
        a.hlt();
        using var code = new MemoryStream();
        a.Assemble(new StreamCodeWriter(code), CodeAddress);
        return code.ToArray();
    }

    /// <summary>Runs the guest on a fresh VM of <paramref name="kvm"/> and returns the measurement and the TSC
    /// frequency in kHz (null where <c>KVM_GET_TSC_KHZ</c> fails).</summary>
    /// <exception cref="MachineException">The guest did not reach its exit port in time, or exited otherwise.</exception>
    /// <exception cref="KvmException">KVM refused a step.</exception>
    public static (Cpl0Calibration Calibration, int? TscKhz) Run(KvmSystem kvm)
    {
        using ProbeVm probe = ProbeVm.Create(kvm, MemoryBytes, CodeAddress);
        probe.Memory.TryWrite(CodeAddress, Assemble());
        Vcpu vcpu = probe.Vcpu;
        int? tscKhz = TryGetTscKhz(vcpu);

        ulong? emulatedBefore = vcpu.ReadStat("insn_emulation");
        var clock = Stopwatch.StartNew();
        probe.RunToExitPort(ExitPort, "the calibration guest", "the calibration guest did not finish");
        clock.Stop();
        ulong? emulatedAfter = vcpu.ReadStat("insn_emulation");
        ulong cycles = probe.Memory.ReadUInt64(ResultAddress);
        double nanoseconds = tscKhz is int khz && khz > 0
            ? cycles * 1_000_000.0 / khz
            : clock.Elapsed.TotalNanoseconds; // no TSC frequency: the host's clock around the whole run, an upper bound
        ulong? emulated = emulatedBefore is { } before && emulatedAfter is { } after ? after - before : null;
        return (new Cpl0Calibration(Iterations, cycles, nanoseconds / Iterations, emulated), tscKhz);
    }

    private static int? TryGetTscKhz(Vcpu vcpu)
    {
        try
        {
            return vcpu.GetTscKhz();
        }
        catch (KvmException)
        {
            return null;
        }
    }
}

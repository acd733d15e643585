using HvBench.Kvm;

namespace HvBench.Vmm.Tracing;

/// <summary>The words trace output uses: KVM exit names, synthetic MSR names, hypercall names and the registers a
/// hypercall's inputs came from.</summary>
public static class TraceNames
{
    /// <summary>The KVM_EXIT_* name without its prefix (<c>IO</c>, <c>WRMSR</c>, <c>DEBUG</c>), or <c>INTERRUPTED</c> for a kick.</summary>
    public static string Exit(VcpuExitReason reason) => reason switch
    {
        VcpuExitReason.Io => "IO",
        VcpuExitReason.Mmio => "MMIO",
        VcpuExitReason.X86Rdmsr => "RDMSR",
        VcpuExitReason.X86Wrmsr => "WRMSR",
        VcpuExitReason.Debug => "DEBUG",
        VcpuExitReason.Hlt => "HLT",
        VcpuExitReason.Shutdown => "SHUTDOWN",
        VcpuExitReason.InternalError => "INTERNAL_ERROR",
        VcpuExitReason.FailEntry => "FAIL_ENTRY",
        VcpuExitReason.SystemEvent => "SYSTEM_EVENT",
        VcpuExitReason.Xen => "XEN",
        VcpuExitReason.Hypercall => "HYPERCALL",
        VcpuExitReason.Exception => "EXCEPTION",
        VcpuExitReason.IrqWindowOpen => "IRQ_WINDOW_OPEN",
        VcpuExitReason.Interrupted => "INTERRUPTED",
        _ => $"EXIT_{(uint)reason}",
    };

    /// <summary>The TLFS name of a synthetic MSR (<c>HV_X64_MSR_HYPERCALL</c>), or null for another MSR.</summary>
    public static string? Msr(ulong index) => index switch
    {
        HvMsr.GuestOsId => "HV_X64_MSR_GUEST_OS_ID",
        HvMsr.Hypercall => "HV_X64_MSR_HYPERCALL",
        HvMsr.VpIndex => "HV_X64_MSR_VP_INDEX",
        HvMsr.Reset => "HV_X64_MSR_RESET",
        HvMsr.Scontrol => "HV_X64_MSR_SCONTROL",
        HvMsr.Sversion => "HV_X64_MSR_SVERSION",
        HvMsr.Siefp => "HV_X64_MSR_SIEFP",
        HvMsr.Simp => "HV_X64_MSR_SIMP",
        HvMsr.Eom => "HV_X64_MSR_EOM",
        HvMsr.Sirbp => "HV_X64_MSR_SIRBP",
        >= HvMsr.Sint0 and <= HvMsr.Sint15 => $"HV_X64_MSR_SINT{index - HvMsr.Sint0}",
        _ => null,
    };

    /// <summary>The TLFS name of a call code (<c>HvCallSignalEvent</c>), or <c>call 0x1234</c>.</summary>
    public static string Hypercall(ulong callCode) =>
        callCode <= ushort.MaxValue && Enum.IsDefined((HypercallCode)callCode) ? ((HypercallCode)callCode).ToString() : $"call 0x{callCode:X4}";

    /// <summary>The registers <see cref="TraceEvent.Input1"/> and <see cref="TraceEvent.Input2"/> came from under a
    /// convention: RDX and R8 for <c>tlfs</c>, RBX and RCX for <c>rax</c> (guest-abi.md).</summary>
    public static (string First, string Second) InputRegisters(HypercallConvention convention) =>
        convention == HypercallConvention.Rax ? ("RBX", "RCX") : ("RDX", "R8");

    /// <summary>The HV_STATUS name of a status value.</summary>
    public static string Status(ushort status) => new HvStatus(status).Name;
}

using System.Globalization;
using HvBench.Cli.Json;
using HvBench.Kvm;
using HvBench.Vmm.Host;
using HvBench.Vmm.Intercepts;

namespace HvBench.Cli;

/// <summary>The text and JSON forms of <see cref="HostCapabilities"/>.</summary>
internal static class CapsReport
{
    public static void Print(HostCapabilities host, TextWriter output)
    {
        output.WriteLine($"KVM API version {host.ApiVersion} ({host.DevicePath})");
        string module = host.KernelModule is null ? "no kvm_* module seen in /sys/module" : $"kernel module {host.KernelModule}";
        string flags = host.Virtualization switch
        {
            VirtualizationKind.VtX => "CPU flag vmx",
            VirtualizationKind.AmdV => "CPU flag svm",
            _ => "the CPU flags show neither vmx nor svm",
        };
        output.WriteLine($"virtualization: {HostFacts.Describe(host.Virtualization)} ({module}; {flags})");
        output.WriteLine($"guest CPL 0: {Cpl0(host)}");
        output.WriteLine($"TSC: {(host.TscKhz is int khz ? $"{khz.ToString("N0", CultureInfo.InvariantCulture)} kHz (KVM_GET_TSC_KHZ)" : "frequency unknown (KVM_GET_TSC_KHZ failed)")}" +
            $"; RDTSCP {(host.Rdtscp switch { true => "available", false => "absent", _ => "unknown" })}");
        output.WriteLine($"LAPIC ISR: {LapicIsr(host)}");
        output.WriteLine($"hypercall intercept: {Intercept(host)}");
        output.WriteLine("capabilities:");
        int width = host.Capabilities.Max(c => c.Name.Length + c.Number.ToString(CultureInfo.InvariantCulture).Length + 3);
        foreach (KvmCapabilityValue cap in host.Capabilities)
        {
            string name = $"{cap.Name} ({cap.Number})";
            output.WriteLine($"  {name.PadRight(width)} {FormatValue(cap),-10} {(cap.Required ? "required: " : "")}{cap.UsedFor}");
        }

        IReadOnlyList<HostLimitation> limitations = host.Limitations;
        output.WriteLine(limitations.Count == 0 ? "will not work here: nothing known" : "will not work here, or differs from VT-x/AMD-V:");
        foreach (HostLimitation limitation in limitations) output.WriteLine($"  - {limitation.What}: {limitation.Why}");
    }

    public static CapsDocument Document(HostCapabilities host) => new()
    {
        Device = host.DevicePath,
        ApiVersion = host.ApiVersion,
        Virtualization = host.Virtualization switch { VirtualizationKind.VtX => "vt-x", VirtualizationKind.AmdV => "amd-v", _ => "software" },
        KernelModule = host.KernelModule,
        Cpl0 = new Cpl0Document
        {
            Emulated = host.Cpl0Emulated,
            Iterations = host.Calibration?.Iterations,
            Cycles = host.Calibration?.Cycles,
            NsPerIteration = host.Calibration is { } c ? Math.Round(c.NanosecondsPerIteration, 3) : null,
            InstructionsEmulated = host.Calibration?.InstructionsEmulated,
            Problem = host.CalibrationProblem,
        },
        TscKhz = host.TscKhz,
        Rdtscp = host.Rdtscp,
        LapicKeepsIsr = host.LapicKeepsIsr,
        Intercept = new InterceptDocument
        {
            Strategy = host.Intercept?.ToString().ToLowerInvariant(),
            DirectVmcallSites = host.DirectVmcallSiteLimit,
            Problem = host.InterceptProblem,
        },
        Capabilities = host.Capabilities.Select(c => new CapabilityDocument
        {
            Name = c.Name, Number = c.Number, Value = c.Value, Required = c.Required, UsedFor = c.UsedFor,
        }).ToArray(),
        Limitations = host.Limitations.Select(l => new LimitationDocument { What = l.What, Why = l.Why }).ToArray(),
    };

    private static string Cpl0(HostCapabilities host)
    {
        if (host.Calibration is not { } c) return $"not measured ({host.CalibrationProblem ?? "calibration skipped"})";
        string stat = c.InstructionsEmulated is { } n ? $"insn_emulation +{n}" : "no insn_emulation stat";
        string how = c.Emulated ? "emulated: runs in KVM's instruction emulator" : "native";
        return $"{how} (calibration: {c.Iterations} iterations of dec/jnz at CPL 0, {c.NanosecondsPerIteration:0.###} ns each, {stat})";
    }

    private static string LapicIsr(HostCapabilities host) => host.LapicKeepsIsr switch
    {
        true => "kept set until EOI (measured: the probe's vector stayed in service in a handler without EOI)",
        false => "not kept (measured: the probe's vector was not in service in a handler without EOI, so a missing EOI goes unnoticed here)",
        null => $"unknown ({host.LapicProbeProblem ?? "probe skipped"})",
    };

    private static string Intercept(HostCapabilities host) => host.Intercept switch
    {
        null => $"none ({host.InterceptProblem})",
        InterceptKind.Xen => "xen (KVM_XEN_HVM_CONFIG_INTERCEPT_HCALL): every hypercall instruction of this CPU's vendor exits " +
            "(VMCALL on Intel, VMMCALL on AMD; the other one is a #UD), at any number of direct sites",
        _ => $"breakpoint (hardware breakpoints DR0..DR3): up to {host.DirectVmcallSiteLimit} direct VMCALL sites per image, " +
            $"{host.DirectVmcallSiteLimit - 1} once the hypercall page is enabled",
    };

    /// <summary>Bit masks (sync_regs, quirks, Xen flags, hypercall mask) in hex, counts and flags in decimal.</summary>
    private static string FormatValue(KvmCapabilityValue cap) =>
        cap.Value > 1 && cap.Cap is KvmCap.SyncRegs or KvmCap.DisableQuirks2 or KvmCap.XenHvm or KvmCap.ExitHypercall
            ? $"0x{cap.Value:X}" : cap.Value.ToString(CultureInfo.InvariantCulture);
}

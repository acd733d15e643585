using HvBench.Kvm;
using HvBench.Kvm.Interop;
using HvBench.Vmm.Intercepts;

namespace HvBench.Vmm.Host;

/// <summary>
/// What this host's KVM offers HvBench (<c>hvbench caps</c>; <c>hvbench bench</c> labels its figures with it): the API
/// version, hardware or software virtualization, whether guest CPL 0 is emulated, the capabilities HvBench uses with
/// their values, the TSC frequency, the hypercall intercept it will choose, and what will not work here and why.
/// </summary>
/// <remarks>Build it with <see cref="Probe"/>, or in code with chosen values to see what a host would lack
/// (<see cref="Limitations"/> is computed from the other properties).</remarks>
public sealed record HostCapabilities
{
    /// <summary>The capabilities HvBench asks about, with what it uses each for and whether it needs it.</summary>
    public static IReadOnlyList<(KvmCap Cap, string Name, string UsedFor, bool Required)> Checked { get; } =
    [
        (KvmCap.UserMemory, "KVM_CAP_USER_MEMORY", "guest RAM as user memory slots", true),
        (KvmCap.ReadonlyMem, "KVM_CAP_READONLY_MEM", "read-only slots for ROM-like areas", false),
        (KvmCap.Irqchip, "KVM_CAP_IRQCHIP", "not used: its PIC and IOAPIC are not in the guest contract", false),
        (KvmCap.SplitIrqchip, "KVM_CAP_SPLIT_IRQCHIP", "an in-kernel LAPIC per VP, without PIC and IOAPIC", true),
        (KvmCap.SignalMsi, "KVM_CAP_SIGNAL_MSI", "SINT delivery: an MSI to the target VP's APIC id", true),
        (KvmCap.Irqfd, "KVM_CAP_IRQFD", "interrupts from an eventfd", false),
        (KvmCap.Ioeventfd, "KVM_CAP_IOEVENTFD", "port writes completed in the kernel", false),
        (KvmCap.X86UserSpaceMsr, "KVM_CAP_X86_USER_SPACE_MSR", "synthetic MSRs exit to the VMM (KVM_EXIT_X86_RDMSR/WRMSR)", true),
        (KvmCap.X86MsrFilter, "KVM_CAP_X86_MSR_FILTER", "the filter that sends 0x40000000..0x400000FF to the VMM", true),
        (KvmCap.SetGuestDebug, "KVM_CAP_SET_GUEST_DEBUG", "the breakpoint intercept: DR0..DR3 on VMCALL sites", false),
        (KvmCap.XenHvm, "KVM_CAP_XEN_HVM", "the xen intercept: every VMCALL exits (needs bit 1, INTERCEPT_HCALL)", false),
        (KvmCap.ExitHypercall, "KVM_CAP_EXIT_HYPERCALL", "not used: KVM_EXIT_HYPERCALL never carries a Hyper-V call", false),
        (KvmCap.Hyperv, "KVM_CAP_HYPERV", "not used: HvBench implements Hyper-V itself", false),
        (KvmCap.HypervSynic, "KVM_CAP_HYPERV_SYNIC", "not used; without it auto-EOI is emulated by the VMM", false),
        (KvmCap.HypervCpuid, "KVM_CAP_HYPERV_CPUID", "not used: the Hyper-V CPUID leaves come from the model", false),
        (KvmCap.HypervEventfd, "KVM_CAP_HYPERV_EVENTFD", "not used: HvSignalEvent is handled in the VMM", false),
        (KvmCap.HypervVpIndex, "KVM_CAP_HYPERV_VP_INDEX", "not used: HV_X64_MSR_VP_INDEX comes from the model", false),
        (KvmCap.ImmediateExit, "KVM_CAP_IMMEDIATE_EXIT", "kicking a VP out of KVM_RUN without losing a kick", true),
        (KvmCap.SyncRegs, "KVM_CAP_SYNC_REGS", "hypercall registers through the run page, no GET/SET_REGS", false),
        (KvmCap.BinaryStatsFd, "KVM_CAP_BINARY_STATS_FD", "per-VP counters such as insn_emulation", false),
        (KvmCap.DisableQuirks2, "KVM_CAP_DISABLE_QUIRKS2", "turning off FIX_HYPERCALL_INSN (bit 5), so an unknown VMCALL is a #UD", false),
        (KvmCap.TscControl, "KVM_CAP_TSC_CONTROL", "not used: the guest TSC is the host's", false),
        (KvmCap.GetTscKhz, "KVM_CAP_GET_TSC_KHZ", "converting TSC cycles to nanoseconds", false),
        (KvmCap.NrVcpus, "KVM_CAP_NR_VCPUS", "VPs that can run at once without sharing host CPUs", false),
        (KvmCap.MaxVcpus, "KVM_CAP_MAX_VCPUS", "the most VPs a partition may have", false),
    ];

    /// <summary>The KVM device that was probed.</summary>
    public required string DevicePath { get; init; }

    /// <summary><c>KVM_GET_API_VERSION</c> (12).</summary>
    public required int ApiVersion { get; init; }

    /// <summary>From the CPU flags: VT-x, AMD-V, or neither (a software KVM).</summary>
    public required VirtualizationKind Virtualization { get; init; }

    /// <summary>The KVM vendor module loaded (<c>kvm_intel</c>, <c>kvm_amd</c>, <c>kvm_pvm</c>, …), or null if none is seen.</summary>
    public string? KernelModule { get; init; }

    /// <summary>The calibration guest's measurement, or null when it was not run or failed (<see cref="CalibrationProblem"/>).</summary>
    public Cpl0Calibration? Calibration { get; init; }

    /// <summary>Why there is no <see cref="Calibration"/>, if it was attempted and failed.</summary>
    public string? CalibrationProblem { get; init; }

    /// <summary>Whether guest CPL 0 runs in KVM's instruction emulator; null when not measured.</summary>
    public bool? Cpl0Emulated => Calibration?.Emulated;

    /// <summary>Every capability in <see cref="Checked"/> with KVM's answer.</summary>
    public required IReadOnlyList<KvmCapabilityValue> Capabilities { get; init; }

    /// <summary><c>KVM_GET_TSC_KHZ</c> on a vCPU: the guest TSC's frequency in kHz; null when KVM did not say.</summary>
    public int? TscKhz { get; init; }

    /// <summary>Whether KVM offers guests RDTSCP (CPUID 0x80000001 EDX bit 27); null when unknown.</summary>
    public bool? Rdtscp { get; init; }

    /// <summary>The hypercall intercept <see cref="InterceptProbe.Choose(KvmSystem, InterceptKind)"/> picks here, or
    /// null when there is none (<see cref="InterceptProblem"/>).</summary>
    public InterceptKind? Intercept { get; init; }

    /// <summary>Why there is no intercept.</summary>
    public string? InterceptProblem { get; init; }

    /// <summary>How many direct VMCALL sites in an image the intercept reaches; null for no limit, 0 without an intercept.</summary>
    public int? DirectVmcallSiteLimit => Intercept switch
    {
        null => 0,
        InterceptKind.Xen => null,
        { } kind => InterceptProbe.DirectSiteLimit(kind),
    };

    /// <summary>Whether the in-kernel LAPIC keeps a delivered vector's ISR bit set until EOI, as VT-x/AMD-V hosts do,
    /// measured by the LAPIC probe guest; false on <c>kvm_pvm</c> (host-kvm.md); null when not measured
    /// (<see cref="LapicProbeProblem"/>).</summary>
    public bool? LapicKeepsIsr { get; init; }

    /// <summary>Why there is no <see cref="LapicKeepsIsr"/>, if the probe was attempted and failed.</summary>
    public string? LapicProbeProblem { get; init; }

    /// <summary>What will not work here, or works differently than on VT-x/AMD-V, and why.</summary>
    public IReadOnlyList<HostLimitation> Limitations => HostLimitations.Collect(this);

    /// <summary>The value KVM gave for <paramref name="cap"/> (0 when absent or not in <see cref="Capabilities"/>).</summary>
    public int ValueOf(KvmCap cap)
    {
        foreach (KvmCapabilityValue value in Capabilities)
            if (value.Cap == cap) return value.Value;
        return 0;
    }

    /// <summary>Probes the host: opens <paramref name="devicePath"/>, asks KVM for each capability on a fresh VM, reads
    /// the CPU flags and kernel modules, and (when <paramref name="calibrate"/>) runs the calibration guest, about
    /// 10 ms where CPL 0 is emulated, and the LAPIC probe guest.</summary>
    /// <exception cref="MachineException">The device cannot be opened or KVM refused to make a VM; the inner
    /// exception is the <see cref="KvmException"/>.</exception>
    public static HostCapabilities Probe(string devicePath = "/dev/kvm", bool calibrate = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(devicePath);
        KvmSystem kvm;
        try
        {
            kvm = KvmSystem.Open(devicePath);
        }
        catch (KvmException e)
        {
            throw new MachineException(KvmDeviceProblem.Describe(devicePath, e), e);
        }

        using (kvm)
        {
            var values = new List<KvmCapabilityValue>();
            try
            {
                using VirtualMachine vm = kvm.CreateVm();
                foreach (var (cap, name, usedFor, required) in Checked)
                    values.Add(new KvmCapabilityValue(cap, name, vm.CheckExtension(cap), usedFor, required));
            }
            catch (KvmException e)
            {
                throw new MachineException($"KVM on {devicePath} cannot make a VM: {e.Message}", e);
            }

            InterceptKind? intercept = null;
            string? interceptProblem = null;
            try
            {
                intercept = InterceptProbe.Choose(kvm);
            }
            catch (MachineException e)
            {
                interceptProblem = e.Message;
            }

            Cpl0Calibration? calibration = null;
            string? calibrationProblem = null;
            int? tscKhz = null;
            if (calibrate)
            {
                try
                {
                    (calibration, tscKhz) = CalibrationGuest.Run(kvm);
                }
                catch (Exception e) when (e is KvmException or MachineException)
                {
                    calibrationProblem = e.Message;
                }
            }

            bool? lapicKeepsIsr = null;
            string? lapicProbeProblem = null;
            if (calibrate)
            {
                try
                {
                    lapicKeepsIsr = LapicIsrProbe.Run(kvm);
                }
                catch (Exception e) when (e is KvmException or MachineException)
                {
                    lapicProbeProblem = e.Message;
                }
            }

            string? module = HostFacts.ReadKvmModule("/sys/module");
            VirtualizationKind virtualization = HostFacts.ReadVirtualization("/proc/cpuinfo");
            return new HostCapabilities
            {
                DevicePath = devicePath,
                ApiVersion = kvm.ApiVersion,
                Virtualization = virtualization,
                KernelModule = module,
                Calibration = calibration,
                CalibrationProblem = calibrationProblem,
                Capabilities = values,
                TscKhz = tscKhz,
                Rdtscp = ReadRdtscp(kvm),
                Intercept = intercept,
                InterceptProblem = interceptProblem,
                LapicKeepsIsr = lapicKeepsIsr,
                LapicProbeProblem = lapicProbeProblem,
            };
        }
    }

    private static bool? ReadRdtscp(KvmSystem kvm)
    {
        try
        {
            foreach (KvmCpuidEntry2 leaf in kvm.GetSupportedCpuid())
                if (leaf.Function == 0x80000001) return (leaf.Edx & (1u << 27)) != 0;
            return false;
        }
        catch (KvmException)
        {
            return null;
        }
    }
}

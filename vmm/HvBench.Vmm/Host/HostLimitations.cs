using HvBench.Kvm;
using HvBench.Vmm.Intercepts;

namespace HvBench.Vmm.Host;

/// <summary>Derives "what will not work here and why" from a <see cref="HostCapabilities"/> (host-kvm.md).</summary>
internal static class HostLimitations
{
    public static IReadOnlyList<HostLimitation> Collect(HostCapabilities host)
    {
        var found = new List<HostLimitation>();
        foreach (KvmCapabilityValue value in host.Capabilities)
        {
            if (value.Required && value.Value == 0)
                found.Add(new HostLimitation("no guest can run", $"{value.Name} is 0, and HvBench needs it for {value.UsedFor}"));
        }

        switch (host.Intercept)
        {
            case null:
                found.Add(new HostLimitation("no hypercall reaches the VMM",
                    host.InterceptProblem ?? "neither KVM_CAP_XEN_HVM's hypercall intercept nor KVM_CAP_SET_GUEST_DEBUG is offered"));
                break;
            case InterceptKind.Breakpoint:
                found.Add(new HostLimitation(
                    $"only {InterceptProbe.BreakpointSlots} direct VMCALL sites per image ({InterceptProbe.BreakpointSlots - 1} once the hypercall page is enabled)",
                    "KVM_CAP_XEN_HVM does not offer KVM_XEN_HVM_CONFIG_INTERCEPT_HCALL, so VMCALLs are caught by hardware breakpoints " +
                    "(DR0..DR3); an image with more direct sites is refused: call the hypercall page instead"));
                break;
        }

        if ((host.ValueOf(KvmCap.DisableQuirks2) & (int)VirtualMachine.QuirkFixHypercallInsn) == 0)
            found.Add(new HostLimitation("a VMCALL no intercept reaches may hang its VP instead of raising #UD",
                "KVM_CAP_DISABLE_QUIRKS2 does not offer KVM_X86_QUIRK_FIX_HYPERCALL_INSN (bit 5), so it stays on: KVM rewrites such " +
                "a VMCALL or VMMCALL and re-runs it inside the kernel, and the run ends only at its timeout"));

        if (host.ValueOf(KvmCap.HypervSynic) == 0)
            found.Add(new HostLimitation("auto-EOI SINTs are emulated by the VMM",
                "KVM_CAP_HYPERV_SYNIC is 0: there is no in-kernel SynIC, so the VMM clears the vector's ISR bit itself once the target VP took it"));

        if (host.LapicKeepsIsr == false)
            found.Add(new HostLimitation("a guest that forgets its EOI works here but not on VT-x/AMD-V",
                $"the in-kernel LAPIC of {host.KernelModule ?? "this KVM"} does not keep a delivered vector's ISR bit set (the probe guest's handler, " +
                "which never EOIs, left it clear), " +
                "so a missing EOI blocks nothing here, and auto-EOI cannot be observed from inside a guest"));

        if (host.Rdtscp == false)
            found.Add(new HostLimitation("guests cannot use RDTSCP",
                "CPUID 0x80000001 EDX bit 27 is clear (executing RDTSCP stops the vCPU with an internal error): time with lfence; rdtsc"));

        if (host.Cpl0Emulated == true && host.Calibration is { } calibration)
            found.Add(new HostLimitation("performance figures are not hardware-accurate",
                $"guest CPL 0 runs in KVM's instruction emulator ({calibration.NanosecondsPerIteration:0.#} ns per loop iteration, native is under 1 ns); " +
                "compare figures only with floors measured in the same run, and keep guest loops to thousands of iterations " +
                "(the emulator also runs only some SSE instructions)"));

        int runnable = host.ValueOf(KvmCap.NrVcpus);
        if (runnable is > 0 and <= 4) // small hosts, like ours (2): a four-VP run there is oversubscribed
            found.Add(new HostLimitation($"more than {runnable} VPs share host CPUs",
                $"KVM_CAP_NR_VCPUS is {runnable}: runs with more VPs work, but their latency figures include host scheduling"));

        return found;
    }
}

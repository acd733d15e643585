using HvBench.Kvm;
using HvBench.Vmm.Host;
using HvBench.Vmm.Intercepts;

namespace HvBench.Vmm.Tests.Host;

/// <summary>"What will not work here and why", derived from hosts described in code (as a fake KVM would report them).</summary>
[TestFixture, Category("Unit")]
public sealed class AHostsLimitations
{
    private static HostCapabilities Host(Func<KvmCap, int> value, InterceptKind? intercept = InterceptKind.Breakpoint,
        VirtualizationKind kind = VirtualizationKind.Software, string? module = "kvm_pvm", bool? rdtscp = false, Cpl0Calibration? calibration = null,
        bool? lapicKeepsIsr = false) => new()
    {
        DevicePath = "/dev/kvm",
        ApiVersion = 12,
        Virtualization = kind,
        KernelModule = module,
        Capabilities = HostCapabilities.Checked.Select(c => new KvmCapabilityValue(c.Cap, c.Name, value(c.Cap), c.UsedFor, c.Required)).ToArray(),
        Intercept = intercept,
        Rdtscp = rdtscp,
        LapicKeepsIsr = lapicKeepsIsr,
        Calibration = calibration,
    };

    /// <summary>Our machines (host-kvm.md).</summary>
    private static int OurHost(KvmCap cap) => cap switch
    {
        KvmCap.XenHvm or KvmCap.Hyperv or KvmCap.HypervSynic or KvmCap.HypervCpuid or KvmCap.HypervEventfd or KvmCap.HypervVpIndex or KvmCap.TscControl => 0,
        KvmCap.NrVcpus => 2,
        KvmCap.MaxVcpus => 1024,
        KvmCap.DisableQuirks2 => 0x5FF,
        _ => 1,
    };

    private static string[] Whats(HostCapabilities host) => host.Limitations.Select(l => l.What).ToArray();

    [Test]
    public void OurHostListsTheBreakpointSitesAutoEoiIsrRdtscpEmulationAndSharedCpus()
    {
        var host = Host(OurHost, calibration: new Cpl0Calibration(10_000, 26_000_000, 1060, 20_014));
        Assert.That(Whats(host), Is.EqualTo(new[]
        {
            "only 4 direct VMCALL sites per image (3 once the hypercall page is enabled)",
            "auto-EOI SINTs are emulated by the VMM",
            "a guest that forgets its EOI works here but not on VT-x/AMD-V",
            "guests cannot use RDTSCP",
            "performance figures are not hardware-accurate",
            "more than 2 VPs share host CPUs",
        }));
        Assert.That(host.Limitations[0].Why, Does.Contain("KVM_CAP_XEN_HVM"));
        Assert.That(host.Limitations[4].Why, Does.Contain("1060 ns per loop iteration"));
        Assert.That(host.DirectVmcallSiteLimit, Is.EqualTo(4));
    }

    [Test]
    public void AHardwareHostWithXenInterceptAndSynicListsNothing()
    {
        var host = Host(cap => cap switch { KvmCap.XenHvm => 0x2F, KvmCap.NrVcpus => 64, KvmCap.DisableQuirks2 => 0x7FF, _ => 1 }, InterceptKind.Xen, VirtualizationKind.VtX, "kvm_intel",
            rdtscp: true, calibration: new Cpl0Calibration(10_000, 12_000, 0.45, 0), lapicKeepsIsr: true);
        Assert.That(host.Limitations, Is.Empty);
        Assert.That(host.DirectVmcallSiteLimit, Is.Null, "no limit");
        Assert.That(host.Cpl0Emulated, Is.False);
    }

    [Test]
    public void AMissingRequiredCapabilityMeansNoGuestRuns()
    {
        var host = Host(cap => cap == KvmCap.SignalMsi ? 0 : OurHost(cap));
        HostLimitation missing = host.Limitations.First();
        Assert.That(missing.What, Is.EqualTo("no guest can run"));
        Assert.That(missing.Why, Does.StartWith("KVM_CAP_SIGNAL_MSI is 0"));
    }

    [Test]
    public void AKvmThatCannotTurnOffFixHypercallSaysAnUnreachedVmcallMayHang()
    {
        var host = Host(cap => cap == KvmCap.DisableQuirks2 ? 0x1F : OurHost(cap)); // quirks 0..4 only
        HostLimitation quirk = host.Limitations.Single(l => l.What.Contains("VMCALL no intercept reaches", StringComparison.Ordinal));
        Assert.That(quirk.Why, Does.Contain("KVM_X86_QUIRK_FIX_HYPERCALL_INSN (bit 5)"));
        Assert.That(Whats(Host(OurHost)), Has.None.Contains("VMCALL no intercept reaches"), "0x5FF offers bit 5");
    }

    [Test]
    public void NoInterceptMeansNoHypercallReachesTheVmm()
    {
        var host = Host(cap => cap is KvmCap.SetGuestDebug ? 0 : OurHost(cap), intercept: null);
        Assert.That(Whats(host), Does.Contain("no hypercall reaches the VMM"));
        Assert.That(host.DirectVmcallSiteLimit, Is.Zero);
    }
}

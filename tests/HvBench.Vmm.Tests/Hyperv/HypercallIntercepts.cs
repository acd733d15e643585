using HvBench.Guest;
using HvBench.Tests;
using HvBench.Vmm.Intercepts;
using HvBench.Vmm.Tests.Machines;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Vmm.Tests.Hyperv;

/// <summary>Choosing the intercept from what the host offers (KVM_CAP_XEN_HVM's hypercall intercept, else hardware
/// breakpoints), as `hvbench caps` reports it.</summary>
[TestFixture, Category("Unit")]
public sealed class ChoosingTheInterceptStrategy
{
    [Test]
    public void PrefersXenWhereTheHostOffersItsHypercallIntercept() =>
        Assert.That(InterceptProbe.Choose(xenHvmCap: InterceptProbe.XenInterceptHcallFlag, guestDebugCap: 1), Is.EqualTo(InterceptKind.Xen));

    [Test]
    public void FallsBackToBreakpointsWithoutIt()
    {
        Assert.That(InterceptProbe.Choose(xenHvmCap: 0, guestDebugCap: 1), Is.EqualTo(InterceptKind.Breakpoint));
        Assert.That(InterceptProbe.Choose(xenHvmCap: 1 /* XEN_HVM without INTERCEPT_HCALL */, guestDebugCap: 1), Is.EqualTo(InterceptKind.Breakpoint));
    }

    [Test]
    public void RefusesAStrategyTheHostLacks()
    {
        Assert.That(() => InterceptProbe.Choose(0, 1, InterceptKind.Xen), Throws.TypeOf<MachineException>().With.Message.Contains("KVM_XEN_HVM_CONFIG_INTERCEPT_HCALL"));
        Assert.That(() => InterceptProbe.Choose(0, 0), Throws.TypeOf<MachineException>().With.Message.Contains("neither"));
    }

    [Test]
    public void BreakpointsReachFourDirectSitesAndXenAll()
    {
        Assert.That(InterceptProbe.DirectSiteLimit(InterceptKind.Breakpoint), Is.EqualTo(4));
        Assert.That(InterceptProbe.DirectSiteLimit(InterceptKind.Xen), Is.EqualTo(int.MaxValue));
    }

    [Test]
    public void ThisHostGetsBreakpoints()
    {
        KvmRequirement.Require();
        using var kvm = HvBench.Kvm.KvmSystem.Open();
        // host-kvm.md: no KVM_CAP_XEN_HVM here, SET_GUEST_DEBUG yes.
        Assert.That(InterceptProbe.Choose(kvm), Is.EqualTo(kvm.CheckExtension(HvBench.Kvm.KvmCap.XenHvm) == 0 ? InterceptKind.Breakpoint : InterceptKind.Xen));
    }
}

/// <summary>The hypercall page's instruction under the xen intercept, where it really runs: the CPU's own.</summary>
[TestFixture, Category("Unit")]
public sealed class TheXenHypercallPage
{
    private static HvBench.Kvm.Interop.KvmCpuidEntry2 Vendor(string name)
    {
        byte[] bytes = System.Text.Encoding.ASCII.GetBytes(name);
        return new() { Function = 0, Ebx = BitConverter.ToUInt32(bytes, 0), Edx = BitConverter.ToUInt32(bytes, 4), Ecx = BitConverter.ToUInt32(bytes, 8) };
    }

    [Test]
    public void HoldsVmmcallOnAmdAndHygonAndVmcallElsewhere()
    {
        Assert.That(XenHypercallPage.UsesVmmcall([Vendor("AuthenticAMD")]), Is.True);
        Assert.That(XenHypercallPage.UsesVmmcall([Vendor("HygonGenuine")]), Is.True);
        Assert.That(XenHypercallPage.UsesVmmcall([Vendor("GenuineIntel")]), Is.False);
        Assert.That(XenHypercallPage.UsesVmmcall([]), Is.False);
    }

    [Test]
    public void ReadsThisHostsVendorAsProcCpuinfoDoes()
    {
        KvmRequirement.Require();
        using var kvm = HvBench.Kvm.KvmSystem.Open();
        string vendor = File.ReadLines("/proc/cpuinfo").First(l => l.StartsWith("vendor_id", StringComparison.Ordinal)).Split(':')[1].Trim();
        Assert.That(XenHypercallPage.UsesVmmcall(kvm.GetSupportedCpuid()), Is.EqualTo(vendor is "AuthenticAMD" or "HygonGenuine"), vendor);
    }
}

[TestFixture, Category("Kvm")]
public sealed class VmcallSitesTheInterceptCannotReach
{
    [Test]
    public void MoreDirectSitesThanDebugRegistersAreRefusedBeforeTheRun()
    {
        var g = new GuestBuilder();
        var start = g.Function("_start");
        g.Bind(ref start);
        for (int i = 0; i < 5; i++) g.Asm.vmcall();
        KvmRequirement.Require();
        var e = Assert.Throws<MachineException>(() => GuestRun.Boot(g.BuildElf()))!;
        Assert.That(e.Message, Does.Contain("5 direct VMCALL sites").And.Contain("at most 4 (DR0..DR3)"));
    }

    [Test]
    public void HvbenchRunRefusesSuchAnImageInOneLineWithExitCode2()
    {
        KvmRequirement.Require(); // the limit depends on the intercept the host offers, so KVM is probed first
        var g = new GuestBuilder();
        var start = g.Function("_start");
        g.Bind(ref start);
        for (int i = 0; i < 5; i++) g.Asm.vmcall();
        string dir = Directory.CreateTempSubdirectory("hvbench-sites").FullName;
        try
        {
            string image = Path.Combine(dir, "five-sites.elf");
            File.WriteAllBytes(image, g.BuildElf());
            var output = Cli.HvbenchProcess.Run("run", image, "--intercept", "breakpoint");
            Assert.That(output.ExitCode, Is.EqualTo(2), output.Stdout + output.Stderr);
            Assert.That(output.ErrorLine, Does.StartWith("hvbench: ").And.Contain("5 direct VMCALL sites").And.Not.Contain("\n"));
            Assert.That(output.Stdout, Is.Empty, "nothing ran");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Test, CancelAfter(20_000)]
    public void AVmcallOutsideEverySiteIsAnInvalidOpcodeInTheGuestNotAHang(CancellationToken token)
    {
        // The guest writes VMCALL into its data page at run time and jumps there: no strategy knows that site.
        var g = new GuestBuilder();
        var a = g.Asm;
        ulong page = g.Allocate("runtime_code", 4096, 4096);
        var start = g.Function("_start");
        g.Bind(ref start);
        a.mov(rax, page);
        a.mov(__dword_ptr[rax], 0xC3C1010F);            // vmcall; ret
        a.call(rax);
        a.mov(al, 0);
        a.@out(0xF4, al);
        RunResult result = GuestRun.Boot(g.BuildElf(), timeoutSeconds: 10, token: token);
        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.GuestFault), result.Verdict);
        Assert.That(result.Reason, Does.Contain("vmcall"));
    }
}

/// <summary>Finding direct VMCALL sites where data sits between instructions.</summary>
[TestFixture, Category("Unit")]
public sealed class FindingDirectVmcallSites
{
    [Test]
    public void DecodesFromEachCodeSymbolSoInlineDataCannotHideAVmcall()
    {
        // 0x1000: "mov eax, imm32" opcode byte as data (B8), which swallows the next four bytes in a linear sweep;
        // 0x1001: a function whose first instruction is vmcall (0F 01 C1), then ret.
        byte[] code = [0xB8, 0x0F, 0x01, 0xC1, 0xC3, 0x90, 0x90];
        var symbols = new HvBench.Vmm.Loaders.SymbolTable(
        [
            new("table", 0x1000, 1, HvBench.Vmm.Loaders.ImageSymbolKind.Object),
            new("do_hypercall", 0x1001, 4, HvBench.Vmm.Loaders.ImageSymbolKind.Function),
        ]);
        Assert.That(HvBench.Vmm.Reports.Disassembler.FindInstructions(code, 0x1000, Iced.Intel.Mnemonic.Vmcall), Is.Empty, "a linear sweep misses it");
        Assert.That(VmcallSites.Find([(0x1000, code)], symbols), Is.EqualTo(new ulong[] { 0x1001 }));
    }

    [Test]
    public void SweepsTheWholeSegmentWithoutSymbols() =>
        Assert.That(VmcallSites.Find([(0x2000, new byte[] { 0x90, 0x0F, 0x01, 0xC1 })], HvBench.Vmm.Loaders.SymbolTable.Empty), Is.EqualTo(new ulong[] { 0x2001 }));
}

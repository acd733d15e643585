using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using HvBench.Kvm.Interop;

namespace HvBench.Kvm.Tests.Interop;

/// <summary>Every kernel struct HvBench mirrors, compared with what gcc says of linux/kvm.h on this machine
/// (the way Tmds.LibC's StructTests compile a C program against the real headers).</summary>
[TestFixture, Category("Abi")]
public sealed class KvmStructsAgainstTheKernelHeaders
{
    private static readonly (string C, Type Type)[] s_structs =
    [
        ("kvm_regs", typeof(KvmRegs)), ("kvm_sregs", typeof(KvmSregs)), ("kvm_segment", typeof(KvmSegment)),
        ("kvm_dtable", typeof(KvmDtable)), ("kvm_sync_regs", typeof(KvmSyncRegs)), ("kvm_vcpu_events", typeof(KvmVcpuEvents)),
        ("kvm_userspace_memory_region", typeof(KvmUserspaceMemoryRegion)), ("kvm_guest_debug", typeof(KvmGuestDebug)),
        ("kvm_msi", typeof(KvmMsi)), ("kvm_msr_filter", typeof(KvmMsrFilter)), ("kvm_msr_filter_range", typeof(KvmMsrFilterRange)),
        ("kvm_cpuid_entry2", typeof(KvmCpuidEntry2)), ("kvm_cpuid2", typeof(KvmCpuid2)), ("kvm_msrs", typeof(KvmMsrs)),
        ("kvm_msr_entry", typeof(KvmMsrEntry)), ("kvm_enable_cap", typeof(KvmEnableCap)), ("kvm_mp_state", typeof(KvmMpState)),
        ("kvm_lapic_state", typeof(KvmLapicState)), ("kvm_xen_hvm_config", typeof(KvmXenHvmConfig)),
        ("kvm_interrupt", typeof(KvmInterrupt)), ("kvm_debug_exit_arch", typeof(KvmDebugExitArch)),
    ];

    // kvm_run members: (C member path, offset HvBench relies on).
    private static readonly (string Member, int Offset)[] s_runOffsets =
    [
        ("request_interrupt_window", 0), ("immediate_exit", 1), ("exit_reason", 8), ("ready_for_interrupt_injection", 12),
        ("if_flag", 13), ("io", 32), ("mmio", 32), ("msr", 32), ("debug", 32),
        ("internal", 32), ("fail_entry", 32), ("xen", 32), ("system_event", 32),
        ("kvm_valid_regs", 288), ("kvm_dirty_regs", 296), ("s.regs", 304), ("s.regs.sregs", 448),
    ];

    // Every field HvBench reads or writes in the exit union: (C member path, its mirror, the mirror's field). The
    // offset HvBench uses is KvmRunLayout.ExitUnion plus the field's offset in the mirror.
    private static readonly (string Member, Type Type, string Field)[] s_unionFields =
    [
        ("io.direction", typeof(KvmRunIo), nameof(KvmRunIo.Direction)), ("io.size", typeof(KvmRunIo), nameof(KvmRunIo.Size)),
        ("io.port", typeof(KvmRunIo), nameof(KvmRunIo.Port)), ("io.count", typeof(KvmRunIo), nameof(KvmRunIo.Count)),
        ("io.data_offset", typeof(KvmRunIo), nameof(KvmRunIo.DataOffset)),
        ("mmio.phys_addr", typeof(KvmRunMmio), nameof(KvmRunMmio.PhysAddr)), ("mmio.data", typeof(KvmRunMmio), nameof(KvmRunMmio.Data)),
        ("mmio.len", typeof(KvmRunMmio), nameof(KvmRunMmio.Len)), ("mmio.is_write", typeof(KvmRunMmio), nameof(KvmRunMmio.IsWrite)),
        ("msr.error", typeof(KvmRunMsr), nameof(KvmRunMsr.Error)), ("msr.reason", typeof(KvmRunMsr), nameof(KvmRunMsr.Reason)),
        ("msr.index", typeof(KvmRunMsr), nameof(KvmRunMsr.Index)), ("msr.data", typeof(KvmRunMsr), nameof(KvmRunMsr.Data)),
        ("debug.arch.exception", typeof(KvmDebugExitArch), nameof(KvmDebugExitArch.Exception)),
        ("debug.arch.pc", typeof(KvmDebugExitArch), nameof(KvmDebugExitArch.Pc)),
        ("debug.arch.dr6", typeof(KvmDebugExitArch), nameof(KvmDebugExitArch.Dr6)),
        ("debug.arch.dr7", typeof(KvmDebugExitArch), nameof(KvmDebugExitArch.Dr7)),
        ("internal.suberror", typeof(KvmRunInternal), nameof(KvmRunInternal.Suberror)),
        ("internal.ndata", typeof(KvmRunInternal), nameof(KvmRunInternal.Ndata)),
        ("internal.data", typeof(KvmRunInternal), nameof(KvmRunInternal.Data)),
        ("fail_entry.hardware_entry_failure_reason", typeof(KvmRunFailEntry), nameof(KvmRunFailEntry.HardwareEntryFailureReason)),
        ("fail_entry.cpu", typeof(KvmRunFailEntry), nameof(KvmRunFailEntry.Cpu)),
        ("system_event.type", typeof(KvmRunSystemEvent), nameof(KvmRunSystemEvent.Type)),
        ("system_event.ndata", typeof(KvmRunSystemEvent), nameof(KvmRunSystemEvent.Ndata)),
        ("system_event.data", typeof(KvmRunSystemEvent), nameof(KvmRunSystemEvent.Data0)),
        ("xen.type", typeof(KvmXenExit), nameof(KvmXenExit.Type)),
        ("xen.u.hcall.longmode", typeof(KvmXenExit), nameof(KvmXenExit.Longmode)), ("xen.u.hcall.cpl", typeof(KvmXenExit), nameof(KvmXenExit.Cpl)),
        ("xen.u.hcall.input", typeof(KvmXenExit), nameof(KvmXenExit.Input)), ("xen.u.hcall.result", typeof(KvmXenExit), nameof(KvmXenExit.Result)),
        ("xen.u.hcall.params", typeof(KvmXenExit), nameof(KvmXenExit.Params)),
    ];

    private Dictionary<string, long> _kernel = null!;

    [OneTimeSetUp]
    public void CompileTheProbe()
    {
        if (!File.Exists("/usr/include/linux/kvm.h")) Assert.Ignore("no /usr/include/linux/kvm.h (Debian package linux-libc-dev)");
        string dir = Directory.CreateTempSubdirectory("hvbench-abi").FullName;
        var c = new System.Text.StringBuilder("#include <stdio.h>\n#include <stddef.h>\n#include <linux/kvm.h>\nint main(void){\n");
        foreach (var (name, _) in s_structs) c.Append($"printf(\"{name} %zu\\n\", sizeof(struct {name}));\n");
        foreach (var (member, _) in s_runOffsets) c.Append($"printf(\"kvm_run.{member} %zu\\n\", offsetof(struct kvm_run, {member}));\n");
        foreach (var (member, _, _) in s_unionFields) c.Append($"printf(\"kvm_run.{member} %zu\\n\", offsetof(struct kvm_run, {member}));\n");
        foreach (string ioctl in new[] { "KVM_RUN", "KVM_GET_REGS", "KVM_SET_REGS", "KVM_GET_SREGS", "KVM_SET_SREGS", "KVM_SET_USER_MEMORY_REGION",
            "KVM_SET_GUEST_DEBUG", "KVM_SIGNAL_MSI", "KVM_X86_SET_MSR_FILTER", "KVM_ENABLE_CAP", "KVM_SET_CPUID2", "KVM_GET_SUPPORTED_CPUID",
            "KVM_SET_MSRS", "KVM_GET_MSRS", "KVM_SET_MP_STATE", "KVM_GET_MP_STATE", "KVM_GET_LAPIC", "KVM_SET_LAPIC", "KVM_XEN_HVM_CONFIG",
            "KVM_CREATE_VCPU", "KVM_CREATE_VM", "KVM_GET_TSC_KHZ", "KVM_GET_STATS_FD", "KVM_INTERRUPT", "KVM_CREATE_IRQCHIP",
            "KVM_GET_VCPU_EVENTS", "KVM_SET_VCPU_EVENTS" })
            c.Append($"printf(\"{ioctl} %lu\\n\", (unsigned long)(unsigned int){ioctl});\n");
        c.Append("return 0;}\n");
        File.WriteAllText(Path.Combine(dir, "abi.c"), c.ToString());
        string output = RunTool("gcc", $"-o {dir}/abi {dir}/abi.c") is { } error ? Fail(error) : RunTool($"{dir}/abi", "", captureOutput: true)!;
        _kernel = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .ToDictionary(parts => parts[0], parts => long.Parse(parts[1]));
    }

    private static string Fail(string error) { Assert.Fail(error); return ""; }

    private static string? RunTool(string file, string arguments, bool captureOutput = false)
    {
        ProcessStartInfo start = new(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        Process process;
        try { process = Process.Start(start)!; }
        catch (System.ComponentModel.Win32Exception) { Assert.Ignore($"{file} is not installed (Debian package gcc)"); throw; }
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (captureOutput) return process.ExitCode == 0 ? stdout : null;
        return process.ExitCode == 0 ? null : $"{file} failed: {stderr}";
    }

    public static IEnumerable<TestCaseData> Structs() =>
        s_structs.Select(s => new TestCaseData(s.C, s.Type).SetName($"SizeOf_{s.C}_MatchesTheKernel"));

    [TestCaseSource(nameof(Structs))]
    public void SizeMatches(string cName, Type type)
    {
        int size = (int)typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf))!.MakeGenericMethod(type).Invoke(null, null)!;
        Assert.That(size, Is.EqualTo(_kernel[cName]), $"sizeof(struct {cName})");
    }

    [Test]
    public void KvmRunOffsetsMatchTheKernel()
    {
        foreach (var (member, offset) in s_runOffsets)
            Assert.That(offset, Is.EqualTo(_kernel[$"kvm_run.{member}"]), $"offsetof(struct kvm_run, {member})");
        Assert.Multiple(() =>
        {
            Assert.That(_kernel["kvm_run.io"], Is.EqualTo(KvmRunLayout.ExitUnion), "KvmRunLayout.ExitUnion");
            Assert.That(_kernel["kvm_run.kvm_valid_regs"], Is.EqualTo(KvmRunLayout.ValidRegs), "KvmRunLayout.ValidRegs");
            Assert.That(_kernel["kvm_run.kvm_dirty_regs"], Is.EqualTo(KvmRunLayout.DirtyRegs), "KvmRunLayout.DirtyRegs");
            Assert.That(_kernel["kvm_run.s.regs"], Is.EqualTo(KvmRunLayout.SyncRegs), "KvmRunLayout.SyncRegs");
            Assert.That(KvmRunLayout.SyncRegs + Unsafe.SizeOf<KvmRegs>(), Is.EqualTo(_kernel["kvm_run.s.regs.sregs"]), "Vcpu.SyncSregs");
        });
    }

    public static IEnumerable<TestCaseData> UnionFields() =>
        s_unionFields.Select(f => new TestCaseData(f.Member, f.Type, f.Field).SetName($"OffsetOf_kvm_run_{f.Member.Replace('.', '_')}_MatchesTheKernel"));

    [TestCaseSource(nameof(UnionFields))]
    public void ExitUnionFieldMatches(string member, Type type, string field) =>
        Assert.That(KvmRunLayout.ExitUnion + (int)Marshal.OffsetOf(type, field), Is.EqualTo(_kernel[$"kvm_run.{member}"]),
            $"offsetof(struct kvm_run, {member}) against {type.Name}.{field}");

    [Test]
    public void RequestNumbersMatchTheKernel()
    {
        var ours = new Dictionary<string, int>
        {
            ["KVM_RUN"] = KvmIoctls.Run, ["KVM_GET_REGS"] = KvmIoctls.GetRegs, ["KVM_SET_REGS"] = KvmIoctls.SetRegs,
            ["KVM_GET_SREGS"] = KvmIoctls.GetSregs, ["KVM_SET_SREGS"] = KvmIoctls.SetSregs,
            ["KVM_SET_USER_MEMORY_REGION"] = KvmIoctls.SetUserMemoryRegion, ["KVM_SET_GUEST_DEBUG"] = KvmIoctls.SetGuestDebug,
            ["KVM_SIGNAL_MSI"] = KvmIoctls.SignalMsi, ["KVM_X86_SET_MSR_FILTER"] = KvmIoctls.X86SetMsrFilter,
            ["KVM_ENABLE_CAP"] = KvmIoctls.EnableCap, ["KVM_SET_CPUID2"] = KvmIoctls.SetCpuid2,
            ["KVM_GET_SUPPORTED_CPUID"] = KvmIoctls.GetSupportedCpuid, ["KVM_SET_MSRS"] = KvmIoctls.SetMsrs,
            ["KVM_GET_MSRS"] = KvmIoctls.GetMsrs, ["KVM_SET_MP_STATE"] = KvmIoctls.SetMpState, ["KVM_GET_MP_STATE"] = KvmIoctls.GetMpState,
            ["KVM_GET_LAPIC"] = KvmIoctls.GetLapic, ["KVM_SET_LAPIC"] = KvmIoctls.SetLapic, ["KVM_XEN_HVM_CONFIG"] = KvmIoctls.XenHvmConfig,
            ["KVM_CREATE_VCPU"] = KvmIoctls.CreateVcpu, ["KVM_CREATE_VM"] = KvmIoctls.CreateVm, ["KVM_GET_TSC_KHZ"] = KvmIoctls.GetTscKhz,
            ["KVM_GET_STATS_FD"] = KvmIoctls.GetStatsFd, ["KVM_INTERRUPT"] = KvmIoctls.Interrupt, ["KVM_CREATE_IRQCHIP"] = KvmIoctls.CreateIrqchip,
            ["KVM_GET_VCPU_EVENTS"] = KvmIoctls.GetVcpuEvents, ["KVM_SET_VCPU_EVENTS"] = KvmIoctls.SetVcpuEvents,
        };
        foreach (var (name, value) in ours)
            Assert.That((uint)value, Is.EqualTo((uint)_kernel[name]), name);
    }
}

/// <summary>The same layouts as literal numbers, so a drift shows even where gcc is missing.</summary>
[TestFixture, Category("Unit")]
public sealed class KvmStructSizes
{
    [Test]
    public void MatchTheKernelAbi()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Unsafe.SizeOf<KvmRegs>(), Is.EqualTo(144));
            Assert.That(Unsafe.SizeOf<KvmSregs>(), Is.EqualTo(312));
            Assert.That(Unsafe.SizeOf<KvmSyncRegs>(), Is.EqualTo(520));
            Assert.That(Unsafe.SizeOf<KvmGuestDebug>(), Is.EqualTo(72));
            Assert.That(Unsafe.SizeOf<KvmMsi>(), Is.EqualTo(32));
            Assert.That(Unsafe.SizeOf<KvmMsrFilter>(), Is.EqualTo(392));
            Assert.That(Unsafe.SizeOf<KvmMsrFilterRange>(), Is.EqualTo(24));
            Assert.That(Unsafe.SizeOf<KvmCpuidEntry2>(), Is.EqualTo(40));
            Assert.That(Unsafe.SizeOf<KvmUserspaceMemoryRegion>(), Is.EqualTo(32));
            Assert.That(Unsafe.SizeOf<KvmEnableCap>(), Is.EqualTo(104));
            Assert.That(Unsafe.SizeOf<KvmLapicState>(), Is.EqualTo(1024));
            Assert.That(Unsafe.SizeOf<KvmRunHeader>(), Is.EqualTo(32));
            Assert.That(Unsafe.SizeOf<KvmXenHvmConfig>(), Is.EqualTo(56));
            Assert.That((int)Marshal.OffsetOf<KvmRunHeader>(nameof(KvmRunHeader.ExitReason)), Is.EqualTo(8));
            Assert.That((int)Marshal.OffsetOf<KvmRunHeader>(nameof(KvmRunHeader.RequestInterruptWindow)), Is.EqualTo(0));
            Assert.That((int)Marshal.OffsetOf<KvmRunHeader>(nameof(KvmRunHeader.ImmediateExit)), Is.EqualTo(1));
            Assert.That((int)Marshal.OffsetOf<KvmRunHeader>(nameof(KvmRunHeader.ReadyForInterruptInjection)), Is.EqualTo(12));
            Assert.That((int)Marshal.OffsetOf<KvmRunHeader>(nameof(KvmRunHeader.IfFlag)), Is.EqualTo(13));
            Assert.That((int)Marshal.OffsetOf<KvmRunMsr>(nameof(KvmRunMsr.Index)), Is.EqualTo(12));
            Assert.That((int)Marshal.OffsetOf<KvmRunMsr>(nameof(KvmRunMsr.Data)), Is.EqualTo(16));
            Assert.That((int)Marshal.OffsetOf<KvmDebugExitArch>(nameof(KvmDebugExitArch.Pc)), Is.EqualTo(8));
            Assert.That((uint)KvmIoctls.GetSregs, Is.EqualTo(0x8138AE83u));
            Assert.That((uint)KvmIoctls.SetUserMemoryRegion, Is.EqualTo(0x4020AE46u));
        });
    }
}

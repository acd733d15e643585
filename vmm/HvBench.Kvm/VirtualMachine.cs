using HvBench.Kvm.Interop;

namespace HvBench.Kvm;

/// <summary>A KVM virtual machine: memory slots, interrupt controller, quirks, MSR filter, MSI
/// injection and the vCPUs. Owns the guest memory it maps until it is disposed.</summary>
public sealed unsafe class VirtualMachine : IDisposable
{
    /// <summary>KVM_X86_QUIRK_FIX_HYPERCALL_INSN: KVM rewrites VMCALL/VMMCALL and re-runs it forever.</summary>
    public const ulong QuirkFixHypercallInsn = 1 << 5;

    private readonly KvmFd _fd;
    private readonly List<GuestMemory> _memory = [];
    private readonly List<Vcpu> _vcpus = [];
    private uint _nextSlot;

    internal VirtualMachine(KvmSystem system, KvmFd fd)
    {
        System = system;
        _fd = fd;
    }

    /// <summary>The /dev/kvm this VM came from.</summary>
    public KvmSystem System { get; }

    /// <summary>KVM_CHECK_EXTENSION on the VM fd (some capabilities are per VM).</summary>
    public int CheckExtension(KvmCap cap)
    {
        int result = Sys.TryIoctl(_fd.Value, KvmIoctls.CheckExtension, (void*)(int)cap);
        return result < 0 ? 0 : result;
    }

    /// <summary>KVM_SET_USER_MEMORY_REGION: maps <paramref name="memory"/> at its base GPA; the VM keeps it alive.</summary>
    public void MapMemory(GuestMemory memory, bool readOnly = false)
    {
        var region = new KvmUserspaceMemoryRegion
        {
            Slot = _nextSlot,
            Flags = readOnly ? 2u /* KVM_MEM_READONLY */ : 0u,
            GuestPhysAddr = memory.BaseGpa,
            MemorySize = memory.Size,
            UserspaceAddr = memory.HostAddress,
        };
        Sys.Ioctl(_fd.Value, KvmIoctls.SetUserMemoryRegion, &region, "KVM_SET_USER_MEMORY_REGION");
        _nextSlot++;
        _memory.Add(memory);
    }

    /// <summary>KVM_SET_TSS_ADDR: three pages KVM needs for real-mode emulation on Intel hosts.</summary>
    public void SetTssAddress(ulong gpa) => Sys.Ioctl(_fd.Value, KvmIoctls.SetTssAddr, gpa, "KVM_SET_TSS_ADDR");

    /// <summary>KVM_SET_IDENTITY_MAP_ADDR: one page KVM needs for unrestricted guests on Intel hosts.</summary>
    public void SetIdentityMapAddress(ulong gpa) => Sys.Ioctl(_fd.Value, KvmIoctls.SetIdentityMapAddr, &gpa, "KVM_SET_IDENTITY_MAP_ADDR");

    /// <summary>KVM_CREATE_IRQCHIP: in-kernel PIC, IOAPIC and LAPICs.</summary>
    public void CreateIrqchip() => Sys.Ioctl(_fd.Value, KvmIoctls.CreateIrqchip, null, "KVM_CREATE_IRQCHIP");

    /// <summary>KVM_CAP_SPLIT_IRQCHIP: in-kernel LAPICs, PIC and IOAPIC left to user space, which reserves
    /// <paramref name="ioapicPins"/> routes for an IOAPIC of its own (0: none). Enable it before the first vCPU.</summary>
    public void CreateSplitIrqchip(int ioapicPins) => EnableCap(KvmCap.SplitIrqchip, (ulong)ioapicPins);

    /// <summary>KVM_CAP_DISABLE_QUIRKS2: turns off the quirks in <paramref name="mask"/>.</summary>
    public void DisableQuirks(ulong mask) => EnableCap(KvmCap.DisableQuirks2, mask);

    /// <summary>KVM_CAP_X86_USER_SPACE_MSR: MSR accesses KVM refuses for one of <paramref name="reasons"/> exit to user
    /// space instead of raising #GP in the guest.</summary>
    public void EnableUserSpaceMsrExits(MsrExitReasons reasons) => EnableCap(KvmCap.X86UserSpaceMsr, (ulong)reasons);

    /// <summary>KVM_X86_SET_MSR_FILTER: every MSR in [first, first + count) is denied to the kernel, so
    /// reads and writes exit to user space; all other MSRs stay with KVM.</summary>
    public void SetMsrFilterDenyRange(uint first, uint count)
    {
        // A bitmap bit of 0 denies the access; one bit per MSR.
        int bytes = (int)((count + 7) / 8);
        byte* bitmap = stackalloc byte[bytes];
        new Span<byte>(bitmap, bytes).Clear();
        var filter = new KvmMsrFilter { Flags = 0 /* KVM_MSR_FILTER_DEFAULT_ALLOW */ };
        filter.Ranges[0] = new KvmMsrFilterRange
        {
            Flags = 1 | 2, // KVM_MSR_FILTER_READ | KVM_MSR_FILTER_WRITE
            Nmsrs = count,
            Base = first,
            Bitmap = (ulong)bitmap,
        };
        Sys.Ioctl(_fd.Value, KvmIoctls.X86SetMsrFilter, &filter, "KVM_X86_SET_MSR_FILTER");
    }

    /// <summary>KVM_XEN_HVM_CONFIG with KVM_XEN_HVM_CONFIG_INTERCEPT_HCALL: every VMCALL exits as KVM_EXIT_XEN.</summary>
    public void EnableXenHypercallIntercept()
    {
        var config = new KvmXenHvmConfig { Flags = 2 /* KVM_XEN_HVM_CONFIG_INTERCEPT_HCALL */ };
        Sys.Ioctl(_fd.Value, KvmIoctls.XenHvmConfig, &config, "KVM_XEN_HVM_CONFIG");
    }

    /// <summary>KVM_SIGNAL_MSI: raises a fixed interrupt with <paramref name="vector"/> on the LAPIC
    /// <paramref name="apicId"/>. Returns false when it was not delivered (KVM returned 0 or an error).
    /// Callable from any thread; allocates nothing.</summary>
    public bool SignalMsi(uint apicId, byte vector)
    {
        var msi = new KvmMsi { AddressLo = 0xFEE00000u | (apicId << 12), Data = vector };
        return Sys.TryIoctl(_fd.Value, KvmIoctls.SignalMsi, &msi) > 0;
    }

    /// <summary>KVM_CREATE_VCPU and the mapping of its kvm_run page.</summary>
    public Vcpu CreateVcpu(int id)
    {
        int fd = Sys.Ioctl(_fd.Value, KvmIoctls.CreateVcpu, (ulong)id, "KVM_CREATE_VCPU");
        var vcpu = new Vcpu(this, id, new KvmFd(fd), System.VcpuMmapSize);
        _vcpus.Add(vcpu);
        return vcpu;
    }

    private void EnableCap(KvmCap cap, ulong arg0)
    {
        var enable = new KvmEnableCap { Cap = (uint)cap };
        enable.Args[0] = arg0;
        Sys.Ioctl(_fd.Value, KvmIoctls.EnableCap, &enable, $"KVM_ENABLE_CAP({cap})");
    }

    /// <summary>Closes every vCPU, the VM fd, and frees the guest memory. vCPU threads must have stopped.</summary>
    public void Dispose()
    {
        foreach (var vcpu in _vcpus) vcpu.Dispose();
        _vcpus.Clear();
        _fd.Dispose();
        foreach (var memory in _memory) memory.Dispose();
        _memory.Clear();
    }
}

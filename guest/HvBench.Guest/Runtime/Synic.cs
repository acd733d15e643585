using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Guest.Runtime;

/// <summary>Synthetic MSR numbers and SynIC set-up (tlfs.md sections 1.4 and 6; guest-abi.md "Hyper-V interface").
/// Each VP gets its own SIEF and SIM page from arrays reserved for <see cref="MaxVps"/> VPs.</summary>
public sealed class Synic
{
    /// <summary>HV_X64_MSR_GUEST_OS_ID.</summary>
    public const uint GuestOsIdMsr = 0x40000000;
    /// <summary>HV_X64_MSR_HYPERCALL.</summary>
    public const uint HypercallMsr = 0x40000001;
    /// <summary>HV_X64_MSR_VP_INDEX.</summary>
    public const uint VpIndexMsr = 0x40000002;
    /// <summary>HV_X64_MSR_SCONTROL.</summary>
    public const uint ScontrolMsr = 0x40000080;
    /// <summary>HV_X64_MSR_SVERSION.</summary>
    public const uint SversionMsr = 0x40000081;
    /// <summary>HV_X64_MSR_SIEFP.</summary>
    public const uint SiefpMsr = 0x40000082;
    /// <summary>HV_X64_MSR_SIMP.</summary>
    public const uint SimpMsr = 0x40000083;
    /// <summary>HV_X64_MSR_EOM.</summary>
    public const uint EomMsr = 0x40000084;
    /// <summary>HV_X64_MSR_SINT0; SINTn is this + n.</summary>
    public const uint Sint0Msr = 0x40000090;
    /// <summary>An open-source guest OS id (bit 63 set): what HvBench's guests report.</summary>
    public const ulong GuestOsId = 0x8100_0000_0000_0000;
    /// <summary>SINT register bits.</summary>
    public const ulong SintMasked = 1UL << 16, SintAutoEoi = 1UL << 17, SintPolling = 1UL << 18;

    private readonly GuestBuilder _builder;

    /// <summary>Reserves the hypercall page and per-VP SIEF and SIM pages for up to <paramref name="maxVps"/> VPs.</summary>
    public Synic(GuestBuilder builder, int maxVps = 4)
    {
        _builder = builder;
        MaxVps = maxVps;
        HypercallPage = builder.Allocate("hypercall_page", 4096, 4096);
        SiefPages = builder.Allocate("sief_pages", 4096 * (ulong)maxVps, 4096);
        SimPages = builder.Allocate("sim_pages", 4096 * (ulong)maxVps, 4096);
    }

    /// <summary>VPs the page arrays hold.</summary>
    public int MaxVps { get; }

    /// <summary>The hypercall page's GPA.</summary>
    public ulong HypercallPage { get; }

    /// <summary>VP 0's SIEF page; VP i's is i pages further.</summary>
    public ulong SiefPages { get; }

    /// <summary>VP 0's SIM page; VP i's is i pages further.</summary>
    public ulong SimPages { get; }

    /// <summary>The SIEF slot of SINT <paramref name="sint"/> for constant VP <paramref name="vp"/>.</summary>
    public ulong SiefSlot(int vp, int sint) => SiefPages + 4096 * (ulong)vp + 256 * (ulong)sint;

    /// <summary>The SIM slot of SINT <paramref name="sint"/> for constant VP <paramref name="vp"/>.</summary>
    public ulong SimSlot(int vp, int sint) => SimPages + 4096 * (ulong)vp + 256 * (ulong)sint;

    /// <summary>Reports a guest OS id and enables the hypercall page (partition-wide: one VP does it; clobbers RAX, RCX, RDX).</summary>
    public void EmitEnableHypercallPage()
    {
        var a = _builder.Asm;
        Msr.EmitWrite(a, GuestOsIdMsr, GuestOsId);
        Msr.EmitWrite(a, HypercallMsr, HypercallPage | 1);
    }

    /// <summary>Enables this VP's SIEF and SIM pages and SCONTROL; <paramref name="vpIndex"/> holds the VP index
    /// (clobbers RAX, RCX, RDX, R11).</summary>
    public void EmitEnable(AssemblerRegister64 vpIndex)
    {
        var a = _builder.Asm;
        a.mov(r11, vpIndex);
        a.shl(r11, 12);
        a.add(r11, (int)SiefPages);
        a.or(r11, 1);
        Msr.EmitWrite(a, SiefpMsr, r11);
        a.mov(r11, vpIndex);
        a.shl(r11, 12);
        a.add(r11, (int)SimPages);
        a.or(r11, 1);
        Msr.EmitWrite(a, SimpMsr, r11);
        Msr.EmitWrite(a, ScontrolMsr, 1);
    }

    /// <summary>Programs SINT <paramref name="sint"/> with <paramref name="vector"/> and the given flags (clobbers RAX, RCX, RDX).</summary>
    public void EmitSetSint(int sint, byte vector, bool masked = false, bool autoEoi = false, bool polling = false)
    {
        ulong value = vector | (masked ? SintMasked : 0) | (autoEoi ? SintAutoEoi : 0) | (polling ? SintPolling : 0);
        Msr.EmitWrite(_builder.Asm, Sint0Msr + (uint)sint, value);
    }

    /// <summary>Loads the address of this VP's SIEF slot for <paramref name="sint"/> into <paramref name="destination"/>.</summary>
    public void EmitSiefSlotAddress(AssemblerRegister64 destination, AssemblerRegister64 vpIndex, int sint)
    {
        var a = _builder.Asm;
        a.mov(destination, vpIndex);
        a.shl(destination, 12);
        a.add(destination, (int)(SiefPages + 256 * (ulong)sint));
    }

    /// <summary>Loads the address of this VP's SIM slot for <paramref name="sint"/> into <paramref name="destination"/>.</summary>
    public void EmitSimSlotAddress(AssemblerRegister64 destination, AssemblerRegister64 vpIndex, int sint)
    {
        var a = _builder.Asm;
        a.mov(destination, vpIndex);
        a.shl(destination, 12);
        a.add(destination, (int)(SimPages + 256 * (ulong)sint));
    }
}

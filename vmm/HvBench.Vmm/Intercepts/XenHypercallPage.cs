using HvBench.Kvm.Interop;

namespace HvBench.Vmm.Intercepts;

/// <summary>The hypercall page under the <see cref="InterceptKind.Xen"/> intercept, where the page's instruction really
/// executes: with KVM_X86_QUIRK_FIX_HYPERCALL_INSN off, the other vendor's instruction is a #UD (VMCALL on AMD, VMMCALL
/// on Intel), so the page holds this CPU's own, as KVM writes it. Under the breakpoint intercept the instruction never
/// runs and the page keeps the model's <c>vmcall; ret</c>.</summary>
public static class XenHypercallPage
{
    /// <summary><c>vmmcall; ret</c>: AMD's form.</summary>
    public static byte[] VmmcallCode => [0x0F, 0x01, 0xD9, 0xC3];

    /// <summary>Whether the CPU that KVM describes in <paramref name="supportedCpuid"/> (leaf 0's vendor string) is
    /// AMD's or Hygon's, the CPUs that execute VMMCALL.</summary>
    public static bool UsesVmmcall(ReadOnlySpan<KvmCpuidEntry2> supportedCpuid)
    {
        const uint AuthEbx = 0x68747541, HygoEbx = 0x6F677948; // "Auth"enticAMD, "Hygo"nGenuine
        foreach (KvmCpuidEntry2 entry in supportedCpuid)
            if (entry.Function == 0) return entry.Ebx is AuthEbx or HygoEbx;
        return false;
    }
}

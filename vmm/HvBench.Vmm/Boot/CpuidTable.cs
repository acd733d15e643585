using HvBench.Kvm.Interop;

namespace HvBench.Vmm.Boot;

/// <summary>The CPUID table a VP sees: KVM's supported leaves, with the hypervisor bit and this VP's APIC id,
/// KVM's own paravirtual leaves removed, and the given hypervisor leaves (Hyper-V's, from the model) added.</summary>
public static class CpuidTable
{
    /// <summary>Builds VP <paramref name="vpIndex"/>'s table.</summary>
    public static KvmCpuidEntry2[] ForVp(KvmCpuidEntry2[] supported, int vpIndex, ReadOnlySpan<KvmCpuidEntry2> hypervisorLeaves = default)
    {
        var table = new List<KvmCpuidEntry2>(supported.Length + hypervisorLeaves.Length);
        foreach (var leaf in supported)
        {
            if (leaf.Function is >= 0x40000000 and < 0x40010000) continue; // KVM's signature leaves: not ours to show
            var entry = leaf;
            switch (entry.Function)
            {
                case 1:
                    entry.Ecx |= 1u << 31;                                         // hypervisor present
                    entry.Ebx = (entry.Ebx & 0x00FFFFFF) | ((uint)vpIndex << 24);  // initial APIC id
                    break;
                case 0xB:
                case 0x1F:
                    entry.Edx = (uint)vpIndex;                                     // x2APIC id
                    break;
            }
            table.Add(entry);
        }
        foreach (var leaf in hypervisorLeaves) table.Add(leaf);
        return [.. table];
    }
}

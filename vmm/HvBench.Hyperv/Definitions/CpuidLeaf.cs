namespace HvBench.Hyperv;

/// <summary>One CPUID leaf as the guest sees it (sub-leaf 0).</summary>
/// <param name="Function">The leaf number (EAX input).</param>
/// <param name="Eax">EAX output.</param>
/// <param name="Ebx">EBX output.</param>
/// <param name="Ecx">ECX output.</param>
/// <param name="Edx">EDX output.</param>
public readonly record struct CpuidLeaf(uint Function, uint Eax, uint Ebx, uint Ecx, uint Edx);

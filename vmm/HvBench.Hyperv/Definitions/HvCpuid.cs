namespace HvBench.Hyperv;

/// <summary>Hyper-V CPUID leaf numbers and the feature bits HvBench reports (tlfs.md section 7).</summary>
public static class HvCpuid
{
    /// <summary>Vendor and max leaf.</summary>
    public const uint VendorAndMaxLeaf = 0x40000000;

    /// <summary>Interface signature ("Hv#1").</summary>
    public const uint Interface = 0x40000001;

    /// <summary>Hypervisor system identity (build, version).</summary>
    public const uint Version = 0x40000002;

    /// <summary>Feature identification: privileges (EAX, EBX), features (ECX, EDX).</summary>
    public const uint Features = 0x40000003;

    /// <summary>Implementation recommendations.</summary>
    public const uint Recommendations = 0x40000004;

    /// <summary>Implementation limits (max VPs).</summary>
    public const uint Limits = 0x40000005;

    /// <summary>Hardware features in use.</summary>
    public const uint HardwareFeatures = 0x40000006;

    /// <summary>"Hv#1" in EAX of leaf 0x40000001.</summary>
    public const uint InterfaceSignatureHv1 = 0x31237648;

    /// <summary>"Micr" (EBX of leaf 0x40000000).</summary>
    public const uint VendorEbx = 0x7263694D;

    /// <summary>"osof" (ECX of leaf 0x40000000).</summary>
    public const uint VendorEcx = 0x666F736F;

    /// <summary>"t Hv" (EDX of leaf 0x40000000).</summary>
    public const uint VendorEdx = 0x76482074;

    /// <summary>Leaf 0x40000003 EDX bit 4: XMM fast hypercall input available (not offered).</summary>
    public const uint FeatureXmmHypercallInput = 1u << 4;

    /// <summary>Leaf 0x40000003 EDX bit 17: SINT polling mode available.</summary>
    public const uint FeatureSintPollingMode = 1u << 17;

    /// <summary>Leaf 0x40000003 EDX bit 18: hypercall MSR lock available.</summary>
    public const uint FeatureHypercallMsrLock = 1u << 18;

    /// <summary>Leaf 0x40000004 EAX bit 9: deprecating AutoEOI recommended (not set).</summary>
    public const uint RecommendDeprecateAutoEoi = 1u << 9;
}

namespace HvBench.Vmm.Host;

/// <summary>Host facts read from Linux files rather than from KVM: the CPU's virtualization flags
/// (<c>/proc/cpuinfo</c>) and the KVM kernel module (<c>/sys/module</c>).</summary>
public static class HostFacts
{
    /// <summary>The KVM vendor modules HvBench knows, in the order they are looked for.</summary>
    public static IReadOnlyList<string> KnownKvmModules { get; } = ["kvm_intel", "kvm_amd", "kvm_pvm"];

    /// <summary>VT-x when a <c>flags</c> line lists <c>vmx</c>, AMD-V when it lists <c>svm</c>, else software.</summary>
    public static VirtualizationKind VirtualizationFromCpuInfo(string cpuInfo)
    {
        ArgumentNullException.ThrowIfNull(cpuInfo);
        foreach (string line in cpuInfo.Split('\n'))
        {
            int colon = line.IndexOf(':');
            if (colon < 0 || line[..colon].Trim() != "flags") continue;
            string[] flags = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (flags.Contains("vmx")) return VirtualizationKind.VtX;
            if (flags.Contains("svm")) return VirtualizationKind.AmdV;
        }

        return VirtualizationKind.Software;
    }

    /// <summary>The KVM vendor module among <paramref name="loadedModules"/> (names as in <c>/sys/module</c>): a known
    /// one first, else any other <c>kvm_*</c> module; null when there is none.</summary>
    public static string? KvmModule(IEnumerable<string> loadedModules)
    {
        ArgumentNullException.ThrowIfNull(loadedModules);
        string[] names = [.. loadedModules];
        foreach (string known in KnownKvmModules)
            if (names.Contains(known)) return known;
        return names.Where(n => n.StartsWith("kvm_", StringComparison.Ordinal)).Order(StringComparer.Ordinal).FirstOrDefault();
    }

    /// <summary>How reports name a kind: <c>VT-x</c>, <c>AMD-V</c> or <c>software KVM</c>.</summary>
    public static string Describe(VirtualizationKind kind) => kind switch
    {
        VirtualizationKind.VtX => "VT-x",
        VirtualizationKind.AmdV => "AMD-V",
        _ => "software KVM",
    };

    internal static VirtualizationKind ReadVirtualization(string cpuInfoPath)
    {
        try
        {
            return VirtualizationFromCpuInfo(File.ReadAllText(cpuInfoPath));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return VirtualizationKind.Software;
        }
    }

    internal static string? ReadKvmModule(string sysModulePath) => KvmModule(ReadKvmModules(sysModulePath));

    /// <summary>The <c>kvm</c> and <c>kvm_*</c> entries of <paramref name="sysModulePath"/>; empty when it cannot be read.</summary>
    internal static IReadOnlyCollection<string> ReadKvmModules(string sysModulePath)
    {
        try
        {
            return [.. Directory.EnumerateDirectories(sysModulePath).Select(Path.GetFileName).OfType<string>()
                .Where(n => n == "kvm" || n.StartsWith("kvm_", StringComparison.Ordinal))];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}

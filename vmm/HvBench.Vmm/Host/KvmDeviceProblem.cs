using HvBench.Kvm;

namespace HvBench.Vmm.Host;

/// <summary>Why the KVM device cannot be opened, in words a user can act on: the errno alone ("ENOENT") does not say
/// whether the kernel lacks KVM, has it without a device node, or has it with a vendor module that could not bind (a
/// machine without VT-x/AMD-V, or a kernel that is itself a <c>kvm_pvm</c> guest, which registers no device).</summary>
public static class KvmDeviceProblem
{
    /// <summary>KVM's misc device minor (<c>KVM_MINOR</c> in include/linux/miscdevice.h); the misc major is 10.</summary>
    public const int KvmMiscMinor = 232;

    private const int Enoent = 2, Eacces = 13, Eperm = 1;

    /// <summary>The one-line message for <paramref name="error"/>, raised when opening <paramref name="devicePath"/>:
    /// <c>cannot open PATH: open(PATH) failed: ENOENT (2)</c>, then what this host's files say about it.</summary>
    public static string Describe(string devicePath, KvmException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        string? hint = Hint(devicePath, error.Errno, ReadOrNull("/proc/misc"), HostFacts.ReadKvmModules("/sys/module"),
            HostFacts.ReadVirtualization("/proc/cpuinfo"));
        return hint is null ? $"cannot open {devicePath}: {error.Message}" : $"cannot open {devicePath}: {error.Message}; {hint}";
    }

    /// <summary>The pure part of <see cref="Describe"/>. <paramref name="procMisc"/> is <c>/proc/misc</c> (null when
    /// unreadable), <paramref name="kvmModules"/> the <c>kvm</c> and <c>kvm_*</c> entries of <c>/sys/module</c>.
    /// Null when there is nothing to add (another errno, or a device path that is not KVM's usual one and does not exist).</summary>
    public static string? Hint(string devicePath, int errno, string? procMisc, IReadOnlyCollection<string> kvmModules,
        VirtualizationKind virtualization)
    {
        ArgumentNullException.ThrowIfNull(kvmModules);
        if (errno is Eacces or Eperm)
            return "it must be readable and writable by this user: run as root or join the group that owns it (usually kvm)";
        if (errno != Enoent || devicePath != "/dev/kvm") return null;

        if (procMisc is not null && RegistersKvm(procMisc))
            return $"the kernel has registered KVM's device (misc 10:{KvmMiscMinor}) but there is no node for it: " +
                $"create it with 'mknod /dev/kvm c 10 {KvmMiscMinor}' (or let udev do it)";

        string cpu = virtualization switch
        {
            VirtualizationKind.VtX => "the CPU offers VT-x (vmx)",
            VirtualizationKind.AmdV => "the CPU offers AMD-V (svm)",
            _ => "the CPU flags show neither vmx nor svm",
        };
        string[] vendors = [.. kvmModules.Where(m => m.StartsWith("kvm_", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
        if (vendors.Length > 0)
            return $"KVM is in this kernel ({string.Join(", ", vendors)} in /sys/module) but registered no device (no kvm in " +
                "/proc/misc), so its vendor module did not bind (the kernel log says why; a kernel that is itself a kvm_pvm " +
                $"guest never binds kvm_pvm); {cpu}";
        if (kvmModules.Contains("kvm"))
            return $"KVM's core module is loaded but no vendor module is: load kvm_intel or kvm_amd; {cpu}";
        return virtualization == VirtualizationKind.Software
            ? $"this kernel has no KVM loaded, and {cpu}: this machine cannot run KVM guests unless its hypervisor offers nested virtualization"
            : $"this kernel has no KVM loaded: load kvm_intel or kvm_amd ({cpu})";
    }

    private static bool RegistersKvm(string procMisc)
    {
        foreach (string line in procMisc.Split('\n'))
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 2 && fields[1] == "kvm") return true;
        }
        return false;
    }

    private static string? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

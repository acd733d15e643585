using HvBench.Kvm;
using HvBench.Vmm.Host;

namespace HvBench.Cli;

/// <summary>Which KVM device hvbench opens: <c>--kvm-device</c>, else <c>$HVBENCH_KVM_DEVICE</c>, else /dev/kvm.</summary>
internal static class KvmDevice
{
    /// <summary>The environment variable that names the device when the option is not given.</summary>
    public const string EnvironmentVariable = "HVBENCH_KVM_DEVICE";

    /// <summary>The device when nothing else is said.</summary>
    public const string DefaultPath = "/dev/kvm";

    /// <summary>The option's description in --help.</summary>
    public const string Description = $"KVM device to open (default ${EnvironmentVariable}, else {DefaultPath})";

    public static string Resolve(string? option) =>
        !string.IsNullOrEmpty(option) ? option
        : Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
        : DefaultPath;

    /// <summary>Opens the device; failing that is a host error (exit 3).</summary>
    public static KvmSystem Open(string path)
    {
        try
        {
            return KvmSystem.Open(path);
        }
        catch (KvmException e)
        {
            throw new HostException(KvmDeviceProblem.Describe(path, e), e);
        }
    }
}

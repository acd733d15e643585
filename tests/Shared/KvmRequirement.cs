namespace HvBench.Tests;

/// <summary>Gate for tests that need /dev/kvm: ignored with a reason where it is absent, unless
/// HVBENCH_REQUIRE_KVM=1 (set by .ci/run) turns the ignore into a failure.</summary>
internal static class KvmRequirement
{
    public const string DevicePath = "/dev/kvm";

    public static void Require()
    {
        string? reason = null;
        if (!OperatingSystem.IsLinux()) reason = "KVM tests need Linux";
        else if (!File.Exists(DevicePath)) reason = $"{DevicePath} does not exist on this host";
        else
        {
            try { using var _ = File.Open(DevicePath, FileMode.Open, FileAccess.ReadWrite); }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException) { reason = $"{DevicePath} is not readable and writable: {e.Message}"; }
        }
        if (reason is null) return;
        if (Environment.GetEnvironmentVariable("HVBENCH_REQUIRE_KVM") == "1")
            Assert.Fail($"{reason} (HVBENCH_REQUIRE_KVM=1 makes this a failure)");
        Assert.Ignore(reason);
    }
}

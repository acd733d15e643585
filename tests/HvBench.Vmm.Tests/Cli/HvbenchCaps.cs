using System.Text.Json;
using HvBench.Tests;

namespace HvBench.Vmm.Tests.Cli;

/// <summary><c>hvbench caps</c> on this host: the facts, the capabilities, the intercept and the limitations.</summary>
[TestFixture, Category("Kvm")]
public sealed class HvbenchCaps
{
    [Test]
    public void PrintsTheHostFactsCapabilitiesInterceptAndLimitations()
    {
        KvmRequirement.Require();
        var output = HvbenchProcess.Run("caps");
        Assert.That(output.ExitCode, Is.Zero, output.Stderr);
        Assert.That(output.Stdout, Does.StartWith("KVM API version 12 (/dev/kvm)\n")
            .And.Match(@"(?m)^virtualization: (VT-x|AMD-V|software KVM) \(")
            .And.Match(@"(?m)^guest CPL 0: (emulated: runs in KVM's instruction emulator|native) \(calibration: 10000 iterations")
            .And.Match(@"(?m)^TSC: [\d,]+ kHz")
            .And.Match(@"(?m)^LAPIC ISR: (kept set until EOI|not kept) \(measured: ")
            .And.Match(@"(?m)^hypercall intercept: (xen \(|breakpoint \(hardware breakpoints DR0..DR3\): up to 4 direct VMCALL sites per image, 3 once)")
            .And.Match(@"(?m)^  KVM_CAP_SIGNAL_MSI \(77\) +1 ")
            .And.Contain("will not work here"));
    }

    [Test]
    public void JsonIsOneDocumentAgreeingWithTheProbe()
    {
        KvmRequirement.Require();
        var output = HvbenchProcess.Run("caps", "--json");
        Assert.That(output.ExitCode, Is.Zero, output.Stderr);
        using var json = JsonDocument.Parse(output.Stdout);
        JsonElement root = json.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("apiVersion").GetInt32(), Is.EqualTo(12));
            Assert.That(root.GetProperty("virtualization").GetString(), Is.AnyOf("vt-x", "amd-v", "software"));
            Assert.That(root.GetProperty("cpl0").GetProperty("emulated").GetBoolean(),
                Is.EqualTo(root.GetProperty("virtualization").GetString() == "software"));
            Assert.That(root.GetProperty("tscKhz").GetInt32(), Is.GreaterThan(100_000));
            JsonElement intercept = root.GetProperty("intercept");
            string? strategy = intercept.GetProperty("strategy").GetString();
            Assert.That(strategy, Is.AnyOf("xen", "breakpoint"));
            JsonElement sites = intercept.GetProperty("directVmcallSites");
            if (strategy == "breakpoint") Assert.That(sites.GetInt32(), Is.EqualTo(4), "one site per debug register");
            else Assert.That(sites.ValueKind, Is.EqualTo(JsonValueKind.Null), "xen: no limit");
            Assert.That(root.GetProperty("lapicKeepsIsr").ValueKind, Is.AnyOf(JsonValueKind.True, JsonValueKind.False), "the LAPIC probe ran");
            JsonElement[] caps = root.GetProperty("capabilities").EnumerateArray().ToArray();
            Assert.That(caps.Single(c => c.GetProperty("name").GetString() == "KVM_CAP_USER_MEMORY").GetProperty("value").GetInt32(), Is.EqualTo(1));
            Assert.That(root.GetProperty("limitations").EnumerateArray().All(l => l.GetProperty("why").GetString()!.Length > 0));
        });
    }
}

using System.Diagnostics;
using HvBench.Tests;
using HvBench.Vmm.Boot;
using HvBench.Vmm.Loaders;
using HvBench.Vmm.Tests.Cli;

namespace HvBench.Vmm.Tests.Acceptance;

/// <summary>
/// The guest contract, proved by a guest written from the documents alone (docs/guest-abi.md, the
/// scenario docs, the TLFS facts) in GNU assembler and linked with GNU ld, no HvBench code:
/// tests/fixtures/outside-guest/. VP1 enables its SynIC; VP0 signals connection 7 through the
/// hypercall page; VP1's SINT2 handler sees flag 0 in its SIEF page; VP0 prints "outside guest: PASS".
/// </summary>
[TestFixture, Category("Kvm")]
public sealed class AGuestWrittenOutsideTheProject
{
    private const string PassLine = "outside guest: PASS";

    private static string FixtureDirectory => Path.Combine(RepositoryPaths.Root, "tests", "fixtures", "outside-guest");

    private static string ScenarioPath => Path.Combine(FixtureDirectory, "signal.json");

    private string workDirectory = "";

    [SetUp]
    public void CreateWorkDirectory()
    {
        workDirectory = Path.Combine(Path.GetTempPath(), $"hvbench-outside-guest-{Guid.NewGuid():N}");
        Directory.CreateDirectory(workDirectory);
    }

    [TearDown]
    public void RemoveWorkDirectory()
    {
        try { Directory.Delete(workDirectory, recursive: true); }
        catch (IOException) { }
    }

    /// <summary>The acceptance criterion: the real <c>hvbench run GUEST.elf --config signal.json</c>.</summary>
    [Test, CancelAfter(60000)]
    public void PassesUnderHvbenchRunWithItsScenarioFile(CancellationToken token)
    {
        KvmRequirement.Require();
        string image = BuildGuest();
        var output = HvbenchProcess.Run(TimeSpan.FromSeconds(45), "run", image, "--config", ScenarioPath);
        string shown = $"exit code {output.ExitCode}\nstdout:\n{output.Stdout}\nstderr:\n{output.Stderr}";
        Assert.That(output.ExitCode, Is.Zero, shown);
        Assert.That(output.Stdout, Does.Contain(PassLine), shown);
    }

    /// <summary>The same image and set-up in-process, for debugging: the verdict with registers and console.</summary>
    [Test, CancelAfter(60000)]
    public void PassesInProcessWithTheScenariosPortAndConnection(CancellationToken token)
    {
        KvmRequirement.Require();
        string image = BuildGuest();
        const int vcpus = 2;
        const ulong memory = 64UL << 20;
        var config = new MachineConfig
        {
            Image = ImageLoader.Load(image, new ImageLoadOptions { HighestAddress = BootLayout.StacksBottom(memory, vcpus) }),
            VcpuCount = vcpus,
            MemoryBytes = memory,
            Timeout = TimeSpan.FromSeconds(20),
        };
        using var machine = Machine.Create(config);
        machine.Hyperv.AddEventPort(1, targetVp: 1, targetSint: 2, baseFlagNumber: 0, flagCount: 64);
        machine.Hyperv.AddConnection(7, machine.Hyperv, 1);

        var result = machine.Run(token);

        string shown = $"{result.Verdict}\nconsole:\n{result.ConsoleText}\nregisters:\n{string.Join("\n", result.Registers.Select(r => $"VP{r.VpIndex} RIP=0x{r.Regs.Rip:x} <{r.Symbol}> {r.Instruction} RFLAGS=0x{r.Regs.Rflags:x}"))}";
        Assert.That(result.Passed, Is.True, shown);
        Assert.That(result.ConsoleText, Does.Contain(PassLine), shown);
        // Its `.set` constants are absolute symbols: they must not name addresses in reports.
        Assert.That(config.Image.Symbols.TryGetSymbol("LAPIC_BASE", out _), Is.False);
        Assert.That(config.Image.Symbols.TryGetSymbol("_start", out _), Is.True);
    }

    /// <summary>Runs the fixture's build.sh (GNU as and ld only) into this test's temporary directory.</summary>
    private string BuildGuest()
    {
        RequireBinutils();
        string image = Path.Combine(workDirectory, "signal.elf");
        var start = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workDirectory };
        start.ArgumentList.Add(Path.Combine(FixtureDirectory, "build.sh"));
        start.ArgumentList.Add(image);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("build.sh did not finish within 30 s");
        }
        Assert.That(process.ExitCode, Is.Zero, $"build.sh failed:\n{stdout.Result}{stderr.Result}");
        Assert.That(File.Exists(image), Is.True, $"build.sh exited 0 but wrote no {image}");
        return image;
    }

    /// <summary>The guest is built from source: without GNU as and ld the test is ignored (a failure under
    /// HVBENCH_REQUIRE_KVM=1, where the host is expected to be fully equipped). Nothing is installed.</summary>
    private static void RequireBinutils()
    {
        string[] missing = [.. new[] { "as", "ld" }.Where(tool => FindOnPath(tool) is null)];
        if (missing.Length == 0) return;
        string reason = $"{string.Join(" and ", missing)} not found on PATH: this test assembles its guest with GNU binutils "
            + "(Debian package binutils: apt-get install binutils)";
        if (Environment.GetEnvironmentVariable("HVBENCH_REQUIRE_KVM") == "1")
            Assert.Fail($"{reason} (HVBENCH_REQUIRE_KVM=1 makes this a failure)");
        Assert.Ignore(reason);
    }

    private static string? FindOnPath(string tool)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}

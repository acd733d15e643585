namespace HvBench.Vmm.Tests.Cli;

/// <summary>Command lines hvbench cannot use: one line on stderr, exit code 2, no stack trace; nothing runs.</summary>
[TestFixture, Category("Unit")]
public sealed class HvbenchUsageErrors
{
    private static IEnumerable<TestCaseData> Cases()
    {
        yield return new TestCaseData((object)new[] { "run" }, "Required argument missing for command: 'run'").SetArgDisplayNames("run without IMAGE");
        yield return new TestCaseData((object)new string[0], "command").SetArgDisplayNames("no command");
        yield return new TestCaseData((object)new[] { "frobnicate" }, "frobnicate").SetArgDisplayNames("unknown command");
        yield return new TestCaseData((object)new[] { "run", "images/hello.elf", "--colour" }, "--colour").SetArgDisplayNames("unknown option");
        yield return new TestCaseData((object)new[] { "run", "images/hello.elf", "--vcpus", "two" }, "--vcpus: 'two' is not a whole number").SetArgDisplayNames("vcpus not a number");
        yield return new TestCaseData((object)new[] { "run", "images/hello.elf", "--vcpus", "abc" }, "--vcpus: 'abc' is not a whole number").SetArgDisplayNames("vcpus abc");
        yield return new TestCaseData((object)new[] { "bench", "--iterations", "many" }, "--iterations: 'many' is not a whole number").SetArgDisplayNames("bench iterations not a number");
        yield return new TestCaseData((object)new[] { "run", "images/hello.elf", "--vcpus", "0" }, "--vcpus: 0 is out of range 1..1024").SetArgDisplayNames("vcpus 0");
        yield return new TestCaseData((object)new[] { "run", "images/hello.elf", "--memory", "12Q" }, "--memory: \"12Q\" is not a size").SetArgDisplayNames("memory 12Q");
        yield return new TestCaseData((object)new[] { "run", "images/hello.elf", "--memory", "1M" }, "--memory: 1M is out of range 2M..3G").SetArgDisplayNames("memory 1M");
        yield return new TestCaseData((object)new[] { "run", "images/hello.elf", "--timeout", "0" }, "--timeout: 0s is out of range 1ms..1440m").SetArgDisplayNames("timeout 0");
        yield return new TestCaseData((object)new[] { "run", "images/hello.elf", "--convention", "fast" }, "'fast'").SetArgDisplayNames("convention fast");
        yield return new TestCaseData((object)new[] { "run", "images/hello.elf", "--status-profile", "qemu" }, "'qemu'").SetArgDisplayNames("status profile qemu");
        yield return new TestCaseData((object)new[] { "run", "images/hello.elf", "--intercept", "magic" }, "'magic'").SetArgDisplayNames("intercept magic");
        yield return new TestCaseData((object)new[] { "run", "images/hello.elf", "--config", "examples/two-partitions.json", "--vcpus", "2" },
            "examples/two-partitions.json: $.partitions: --vcpus cannot override a scenario with \"partitions\"").SetArgDisplayNames("vcpus with partitions");
        yield return new TestCaseData((object)new[] { "run", "images/hello.elf", "--config", "examples/no-such.json" }, "examples/no-such.json: cannot read the file")
            .SetArgDisplayNames("missing scenario");
        yield return new TestCaseData((object)new[] { "run", "images/hello.elf", "--trace-file", "/nonexistent/dir/out.json" }, "--trace-file: cannot write /nonexistent/dir/out.json")
            .SetArgDisplayNames("unwritable trace file");
        yield return new TestCaseData((object)new[] { "run", "images/hello.elf", "--config", "" }, "hvbench: --config: the path is empty").SetArgDisplayNames("empty config path");
        yield return new TestCaseData((object)new[] { "run", "" }, "hvbench: IMAGE: the path is empty").SetArgDisplayNames("empty image path");
        yield return new TestCaseData((object)new[] { "run", "images/hello.elf", "--trace-file", "" }, "hvbench: --trace-file: the path is empty").SetArgDisplayNames("empty trace file path");
        yield return new TestCaseData((object)new[] { "run", "images/hello.elf", "--config", "/dev/zero" }, "/dev/zero: cannot read the file: it is a character device, not a regular file")
            .SetArgDisplayNames("config is a device");
        yield return new TestCaseData((object)new[] { "run", "/dev/zero" }, "/dev/zero: cannot read the file: it is a character device, not a regular file")
            .SetArgDisplayNames("image is a device");
        yield return new TestCaseData((object)new[] { "run", "images/hello.elf", "--config", "examples" }, "examples: cannot read the file: it is a directory")
            .SetArgDisplayNames("config is a directory");
        yield return new TestCaseData((object)new[] { "run", "images/hello.elf", "--trace-file", "examples" }, "--trace-file: examples is a directory")
            .SetArgDisplayNames("trace file is a directory");
        yield return new TestCaseData((object)new[] { "caps", "--frobnicate" }, "--frobnicate").SetArgDisplayNames("caps unknown option");
    }

    [TestCaseSource(nameof(Cases))]
    public void PrintOneLineAndExit2(string[] args, string expected)
    {
        var output = HvbenchProcess.Run(args);
        Assert.Multiple(() =>
        {
            Assert.That(output.ExitCode, Is.EqualTo(2), output.Stderr);
            Assert.That(output.ErrorLine, Does.StartWith("hvbench: ").And.Contain(expected));
            Assert.That(output.ErrorLine, Does.Not.Contain("\n").And.Not.Contain("   at ").And.Not.Contain("Exception").And.Not.Contain("System."));
            Assert.That(output.Stdout, Is.Empty);
        });
    }
}

/// <summary><c>--help</c> on the program and on every command: exit code 0, usage, and the exit codes.</summary>
[TestFixture, Category("Unit")]
public sealed class HvbenchHelp
{
    [TestCase("--help")]
    [TestCase("run", "--help")]
    [TestCase("caps", "--help")]
    public void ExitsWith0ListingTheExitCodes(params string[] args)
    {
        var output = HvbenchProcess.Run(args);
        Assert.That(output.ExitCode, Is.Zero, output.Stderr);
        Assert.That(output.Stdout, Does.Contain("Usage:").And.Contain("Exit codes: 0 ").And.Contain("3 host or KVM error"));
    }

    [Test]
    public void RunHelpListsEveryOption()
    {
        var output = HvbenchProcess.Run("run", "--help");
        string[] options = ["--config", "--vcpus", "--memory", "--timeout", "--convention", "--status-profile", "--intercept", "--hypercall-page", "--format", "--load-address",
            "--trace", "--trace-file", "--json", "--kvm-device", "--verbose"];
        Assert.That(options, Has.All.Matches<string>(o => output.Stdout.Contains(o, StringComparison.Ordinal)));
        Assert.That(output.Stdout, Does.Contain("124 timeout").And.Contain("130 interrupted"));
    }

    [Test]
    public void CapsHelpListsJsonAndTheDeviceOption()
    {
        var output = HvbenchProcess.Run("caps", "--help");
        Assert.That(output.Stdout, Does.Contain("--json").And.Contain("--kvm-device").And.Contain("calibration guest"));
    }
}

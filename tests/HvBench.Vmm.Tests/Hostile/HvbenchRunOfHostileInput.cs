using System.Buffers.Binary;
using HvBench.Guest.Runtime;
using HvBench.Tests;
using HvBench.Vmm.Tests.Cli;

namespace HvBench.Vmm.Tests.Hostile;

/// <summary>The real <c>hvbench run</c> on a damaged copy of images/hello.elf and on a guest that writes MSRs the model
/// does not implement: the refusal is one line naming the file and the field, with no stack trace unless --verbose asks
/// for one; the run's report says what the guest did.</summary>
[TestFixture, Category("Kvm")]
public sealed class HvbenchRunOfHostileInput
{
    private const int UnimplementedWrites = 3;
    private string _dir = null!;

    [SetUp]
    public void MakeDir() => _dir = Directory.CreateTempSubdirectory("hvbench-hostile").FullName;

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void ADamagedImageIsRefusedInOneLineNamingTheFileAndTheSegment()
    {
        string path = DamagedHello();
        var output = HvbenchProcess.Run("run", path);
        Assert.That(output.ExitCode, Is.EqualTo(2), output.Stderr);
        Assert.That(output.ErrorLine, Does.StartWith($"hvbench: {path}: segment 0 at 0x1000").And.Contain("below 1 MiB"));
        Assert.That(output.ErrorLine, Does.Not.Contain("\n").And.Not.Contain("   at "));

        var verbose = HvbenchProcess.Run("run", path, "--verbose");
        Assert.That(verbose.ExitCode, Is.EqualTo(2));
        Assert.That(verbose.Stderr, Does.StartWith(output.ErrorLine).And.Contain("   at "), "--verbose adds the stack trace");
    }

    [Test]
    public void AGuestWritingUnimplementedMsrsGetsAReportCountingThem()
    {
        KvmRequirement.Require();
        string path = Path.Combine(_dir, "msr-writer.elf");
        File.WriteAllBytes(path, MsrWriter());
        var output = HvbenchProcess.Run("run", path);
        Assert.That(output.ExitCode, Is.Zero, output.Stdout + output.Stderr);
        Assert.That(output.Stdout, Does.Contain($"MSR accesses answered with #GP: {UnimplementedWrites}"));

        var json = HvbenchProcess.Run("run", path, "--json");
        Assert.That(json.Stdout, Does.Contain($"\"msrFaults\": {UnimplementedWrites}").And.Contain("\"flagsDroppedOutsideRam\": 0"));
    }

    /// <summary>images/hello.elf with its first program header's physical address moved to 0x1000, into the boot area.</summary>
    private string DamagedHello()
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(RepositoryPaths.Images, "hello.elf"));
        int phoff = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(32));
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(phoff + 24), 0x1000);       // p_paddr
        string path = Path.Combine(_dir, "hello-damaged.elf");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Writes HV_X64_MSR_RESET, SIRBP and an MSR of the range nobody defines; steps over each #GP and passes.</summary>
    private static byte[] MsrWriter()
    {
        var guest = new HypervGuest(maxVps: 1);
        ulong faults = guest.Flag("gp_count");
        HostileGuests.EmitMsrFaultSkipper(guest, faults);
        guest.OnVp(0, () =>
        {
            foreach (uint msr in new uint[] { 0x40000003, 0x40000085, 0x400000F0 }) Msr.EmitWrite(guest.Asm, msr, 1);
            guest.Checks.AreEqual(faults, UnimplementedWrites, "every write raised #GP");
            guest.Pass();
        });
        return guest.Build();
    }
}

using HvBench.Tests;
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Vmm.Tests.Cli;

/// <summary>Flat binaries through the real <c>hvbench</c> program: one that finds its own address with a RIP-relative
/// LEA and passes only if it runs where it was meant to be loaded.</summary>
[TestFixture, Category("Kvm")]
public sealed class HvbenchRunOfAFlatBinary
{
    private string? _dir;

    [SetUp]
    public void MakeDir()
    {
        KvmRequirement.Require();
        _dir = Directory.CreateTempSubdirectory("hvbench-flat").FullName;
    }

    [TearDown]
    public void RemoveDir()
    {
        // Null where the KVM gate ignored the test before the directory was made.
        if (_dir is not null) Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public void NamedDotBinLoadsAt1MibAndPasses()
    {
        string image = Path.Combine(_dir!, "where-am-i.bin");
        File.WriteAllBytes(image, FlatImages.PassesOnlyAt(0x100000));
        var output = HvbenchProcess.Run("run", image, "--timeout", "10s");
        Assert.That(output.ExitCode, Is.Zero, output.Stdout + output.Stderr);
        Assert.That(output.Stdout, Does.Contain("PASS"));
    }

    [Test]
    public void GivenFormatFlatAndALoadAddressLoadsThereAndPasses()
    {
        string image = Path.Combine(_dir!, "where-am-i.img"); // not .bin: only --format flat makes it a flat binary
        File.WriteAllBytes(image, FlatImages.PassesOnlyAt(0x300000));
        var output = HvbenchProcess.Run("run", image, "--format", "flat", "--load-address", "0x300000", "--timeout", "10s");
        Assert.That(output.ExitCode, Is.Zero, output.Stdout + output.Stderr);
        Assert.That(output.Stdout, Does.Contain("PASS"));
    }
}

/// <summary>A load address inside the first MiB, which guest-abi.md reserves for the VMM: refused before anything runs.</summary>
[TestFixture, Category("Unit")]
public sealed class HvbenchRunOfAFlatBinaryBelowOneMib
{
    [Test]
    public void Exits2WithOneLine()
    {
        string dir = Directory.CreateTempSubdirectory("hvbench-flat").FullName;
        try
        {
            string image = Path.Combine(dir, "low.bin");
            File.WriteAllBytes(image, FlatImages.PassesOnlyAt(0x80000));
            var output = HvbenchProcess.Run("run", image, "--load-address", "0x80000");
            Assert.That(output.ExitCode, Is.EqualTo(2), output.Stdout);
            Assert.That(output.ErrorLine, Does.StartWith("hvbench: ").And.Contain("below 1 MiB").And.Not.Contain("\n"));
            Assert.That(output.Stdout, Is.Empty, "nothing ran");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}

internal static class FlatImages
{
    /// <summary>Position-independent code: exit code 0 if its first byte is at <paramref name="address"/>, else 1.</summary>
    public static byte[] PassesOnlyAt(ulong address)
    {
        var a = new Assembler(64);
        Label first = a.CreateLabel(), elsewhere = a.CreateLabel();
        a.Label(ref first);
        a.lea(rax, __[first]);                       // RIP-relative: where the code really is
        a.mov(rcx, address);
        a.cmp(rax, rcx);
        a.jne(elsewhere);
        a.xor(eax, eax);
        a.@out(0xF4, eax);
        a.Label(ref elsewhere);
        a.mov(eax, 1);
        a.@out(0xF4, eax);
        var code = new MemoryStream();
        a.Assemble(new StreamCodeWriter(code), address);
        return code.ToArray();
    }
}

namespace HvBench.Vmm.Tests.Loaders;

[TestFixture]
[Category("Unit")]
public sealed class AWrittenImageReadByBinutils
{
    private string _path = null!;

    [OneTimeSetUp]
    public void WriteTheSample()
    {
        _path = Path.Combine(Path.GetTempPath(), $"hvbench-loader-{Environment.ProcessId}.elf");
        File.WriteAllBytes(_path, TestImages.Sample());
    }

    [OneTimeTearDown]
    public void DeleteTheSample() => File.Delete(_path);

    [Test]
    public void PassesReadelfWithoutWarnings()
    {
        (int status, string stdout, string stderr) = ExternalTool.Run("readelf", null, "-h", "-l", "-S", "-s", "-W", _path);
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.Zero, stderr);
            Assert.That(stderr, Is.Empty, "readelf printed warnings");
            Assert.That(stdout, Does.Contain("EXEC (Executable file)"));
            Assert.That(stdout, Does.Contain("Advanced Micro Devices X86-64"));
            Assert.That(stdout, Does.Match(@"LOAD\s+0x[0-9a-f]+ 0x0+101000 0x0+101000 0x00000c 0x003000 RW  0x1000"));
            Assert.That(stdout, Does.Contain(".symtab"));
            Assert.That(stdout, Does.Match(@"FUNC\s+GLOBAL\s+DEFAULT\s+1 _start"));
        });
    }

    [Test]
    public void DisassemblesUnderItsSymbolsWithObjdump()
    {
        (int status, string stdout, string stderr) = ExternalTool.Run("objdump", null, "-d", _path);
        Assert.That(status, Is.Zero, stderr);
        Assert.That(stdout, Does.Contain("<_start>:").And.Contain("<spin>:").And.Contain("hlt"));
    }
}

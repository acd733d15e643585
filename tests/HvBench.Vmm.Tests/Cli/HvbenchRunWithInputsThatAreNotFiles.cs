using System.Diagnostics;

namespace HvBench.Vmm.Tests.Cli;

/// <summary>
/// A scenario or image path that names a FIFO, or a scenario whose partition image is missing: refused in one line
/// naming the file (and for the scenario's image, the JSON path), exit code 2, at once; nothing hangs.
/// </summary>
[TestFixture, Category("Unit")]
public sealed class HvbenchRunWithInputsThatAreNotFiles
{
    private string _dir = null!;

    [SetUp]
    public void MakeDir() => _dir = Directory.CreateTempSubdirectory("hvbench-cli-inputs").FullName;

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, recursive: true);

    [TestCase("--config")]
    [TestCase("IMAGE")]
    public void AFifoWithAnIdleWriterIsRefusedAtOnce(string which)
    {
        string fifo = Path.Combine(_dir, "input.fifo");
        using (var mkfifo = Process.Start("mkfifo", [fifo])!)
        {
            mkfifo.WaitForExit();
            Assert.That(mkfifo.ExitCode, Is.Zero, "mkfifo");
        }

        // Opening read-write does not block and keeps a writer present that never writes: a reader would wait forever.
        using var writer = new FileStream(fifo, FileMode.Open, FileAccess.ReadWrite);
        string[] args = which == "IMAGE" ? ["run", fifo] : ["run", "images/hello.elf", "--config", fifo];
        var output = HvbenchProcess.Run(TimeSpan.FromSeconds(20), args);
        Assert.Multiple(() =>
        {
            Assert.That(output.ExitCode, Is.EqualTo(2), output.Stderr);
            Assert.That(output.ErrorLine, Is.EqualTo($"hvbench: {fifo}: cannot read the file: it is a FIFO (named pipe), not a regular file"));
        });
    }

    [Test]
    public void AMissingPartitionImageIsNamedByItsJsonPath()
    {
        string scenario = Path.Combine(_dir, "two.json");
        File.WriteAllText(scenario, """{ "partitions": [ { "id": 1, "image": "missing.elf" }, { "id": 2 } ] }""");
        var output = HvbenchProcess.Run("run", "images/hello.elf", "--config", scenario);
        Assert.Multiple(() =>
        {
            Assert.That(output.ExitCode, Is.EqualTo(2), output.Stderr);
            Assert.That(output.ErrorLine, Is.EqualTo($"hvbench: {scenario}: $.partitions[0].image: {Path.Combine(_dir, "missing.elf")}: file not found"));
        });
    }
}

using System.Text;
using HvBench.Vmm.Configuration;

namespace HvBench.Vmm.Tests.Configuration;

[TestFixture]
[Category("Unit")]
public sealed class AScenarioFileThatCannotBeRead
{
    private string _directory = "";

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("hvbench-scenario-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void ThatDoesNotExistIsRefusedWithoutAJsonPath()
    {
        string path = Path.Combine(_directory, "missing.json");
        ScenarioException refusal = Assert.Throws<ScenarioException>(() => ScenarioParser.Load(path))!;
        Assert.Multiple(() =>
        {
            Assert.That(refusal.JsonPath, Is.Null);
            Assert.That(refusal.Message, Does.StartWith($"{path}: cannot read the file: "));
        });
        OneLineMessage.AssertClean(refusal);
    }

    [Test]
    public void ThatIsADirectoryIsRefusedAsADirectory()
    {
        ScenarioException refusal = Assert.Throws<ScenarioException>(() => ScenarioParser.Load(_directory))!;
        Assert.That(refusal.Message, Is.EqualTo($"{_directory}: cannot read the file: it is a directory"));
        OneLineMessage.AssertClean(refusal);
    }

    [Test, CancelAfter(10_000)]
    public void ThatIsADeviceIsRefusedWithoutReadingIt(CancellationToken token)
    {
        // /dev/zero reports length 0 and never ends: reading it whole ran out of memory.
        ScenarioException refusal = Assert.Throws<ScenarioException>(() => ScenarioParser.Load("/dev/zero"))!;
        Assert.That(refusal.Message, Is.EqualTo("/dev/zero: cannot read the file: it is a character device, not a regular file"));
    }

    [Test, CancelAfter(10_000)]
    public void ThatIsAFifoWithAnIdleWriterIsRefusedWithoutWaiting(CancellationToken token)
    {
        string fifo = Path.Combine(_directory, "scenario.fifo");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo])!) mkfifo.WaitForExit();
        using var writer = new FileStream(fifo, FileMode.Open, FileAccess.ReadWrite); // a writer that never writes
        ScenarioException refusal = Assert.Throws<ScenarioException>(() => ScenarioParser.Load(fifo))!;
        Assert.That(refusal.Message, Is.EqualTo($"{fifo}: cannot read the file: it is a FIFO (named pipe), not a regular file"));
    }

    [Test]
    public void WithAnEmptyPathIsRefusedAsAScenarioError()
    {
        ScenarioException refusal = Assert.Throws<ScenarioException>(() => ScenarioParser.Load(""))!;
        Assert.That(refusal.Message, Is.EqualTo(": cannot read the file: the path is empty"));
    }

    [Test]
    public void ThatIsNotUtf8IsRefusedWithThePosition()
    {
        string path = Path.Combine(_directory, "latin1.json");
        File.WriteAllBytes(path, [.. "{\n  \"memory\": \"64"u8, 0xB5, .. "\"\n}"u8]);
        ScenarioException refusal = Assert.Throws<ScenarioException>(() => ScenarioParser.Load(path))!;
        Assert.That(refusal.Message, Is.EqualTo($"{path}: $: not UTF-8 text (byte 0xB5 at line 2, column 16)"));
    }

    [Test]
    public void ThatIsLargerThanAMegabyteIsRefused()
    {
        string path = Path.Combine(_directory, "huge.json");
        File.WriteAllText(path, "{}" + new string(' ', ScenarioLimits.MaxFileBytes));
        ScenarioException refusal = Assert.Throws<ScenarioException>(() => ScenarioParser.Load(path))!;
        Assert.That(refusal.Message, Is.EqualTo($"{path}: the file has {ScenarioLimits.MaxFileBytes + 2} bytes; a scenario file has at most 1M"));
    }

    [Test]
    public void ThatStartsWithAByteOrderMarkIsRead()
    {
        string path = Path.Combine(_directory, "bom.json");
        File.WriteAllText(path, "{ \"vcpus\": 3 }", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        Assert.Multiple(() =>
        {
            Assert.That(ScenarioParser.Load(path).Vcpus, Is.EqualTo(3));
            Assert.That(ScenarioParser.Parse("\uFEFF{ \"vcpus\": 3 }", "bom.json").Vcpus, Is.EqualTo(3));
        });
    }

    [Test]
    public void ThatIsReadableResolvesImagesAgainstItsDirectory()
    {
        string path = Path.Combine(_directory, "two.json");
        File.WriteAllText(path, """{ "partitions": [ { "id": 1, "image": "guests/a.elf" }, { "id": 2, "image": "/abs/b.elf" } ] }""");
        Scenario scenario = ScenarioParser.Load(path);
        Assert.Multiple(() =>
        {
            Assert.That(scenario.SourceName, Is.EqualTo(path));
            Assert.That(scenario.EffectivePartitions[0].Image, Is.EqualTo(Path.Combine(_directory, "guests", "a.elf")));
            Assert.That(scenario.EffectivePartitions[1].Image, Is.EqualTo("/abs/b.elf"));
        });
    }
}

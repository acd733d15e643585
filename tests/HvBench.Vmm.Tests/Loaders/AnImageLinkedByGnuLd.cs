using HvBench.Vmm.Loaders;

namespace HvBench.Vmm.Tests.Loaders;

/// <summary>Guests built outside the project (guest-abi.md) must load too; GNU as and ld stand in for them.</summary>
[TestFixture]
[Category("Unit")]
public sealed class AnImageLinkedByGnuLd
{
    private const string Source = """
        .globl _start
        .text
        _start:
            xor %eax, %eax
            out %al, $0xe9
            hlt
        .data
        value: .quad 42
        .bss
        buffer: .skip 4096
        """;

    private string _directory = null!;

    [SetUp]
    public void Assemble()
    {
        _directory = Directory.CreateTempSubdirectory("hvbench-ld-").FullName;
        File.WriteAllText(Path.Combine(_directory, "guest.s"), Source + "\n");
        Run("as", "--64", "-o", "guest.o", "guest.s");
    }

    [TearDown]
    public void Clean() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void LoadsWhenLinkedWithTextSegmentAtOneMiB()
    {
        Run("ld", "-static", "-nostdlib", "-Ttext-segment=0x100000", "-o", "guest.elf", "guest.o");
        GuestImage image = ImageLoader.Load(Path.Combine(_directory, "guest.elf"), TestImages.Options);

        Assert.That(image.Symbols.TryGetSymbol("_start", out ImageSymbol start), Is.True);
        Assert.That(image.Entry, Is.EqualTo(start.Address));
        Assert.That(image.Segments.Single(s => s.Contains(image.Entry)).Executable, Is.True);
        Assert.That(image.Symbols.TryGetSymbol("buffer", out ImageSymbol buffer), Is.True);
        ImageSegment data = image.Segments.Single(s => s.Contains(buffer.Address));
        Assert.That(data.MemorySize, Is.GreaterThan((ulong)data.Data.Length), "the .bss tail is zero-fill, not file bytes");
        Assert.That(image.Symbols.Symbols.Select(s => s.Name), Does.Not.Contain("guest.o"), "STT_FILE symbols name no address");
    }

    [Test]
    public void IsRefusedWithAHintWhenLinkedWithTextAtOneMiB()
    {
        // ld's -z separate-code default puts the ELF headers in their own segment at 0xff000.
        Run("ld", "-static", "-nostdlib", "-Ttext=0x100000", "-o", "guest.elf", "guest.o");
        string path = Path.Combine(_directory, "guest.elf");
        ImageFormatException? e = null;
        try
        {
            ImageLoader.Load(path, TestImages.Options);
        }
        catch (ImageFormatException caught)
        {
            e = caught;
        }

        if (e is null)
        {
            Assert.Ignore("this ld predates -z separate-code (binutils 2.31) and put no segment below -Ttext");
        }

        Assert.That(e!.Message, Does.StartWith($"{path}: segment 0 at 0xff000..").And.EndWith("link with -Ttext-segment=0x100000 instead of -Ttext"));
    }

    private void Run(string tool, params string[] arguments)
    {
        (int status, _, string stderr) = ExternalTool.Run(tool, _directory, arguments);
        Assert.That(status, Is.Zero, $"{tool} {string.Join(' ', arguments)}: {stderr}");
    }
}

namespace HvBench.Guest.Images;

/// <summary>One checked-in test guest: its file name, a one-line description and how to build it.</summary>
public sealed record CatalogImage(string FileName, string Description, Func<byte[]> Build);

/// <summary>Every image in images/, built deterministically; a test rebuilds them and compares bytes.</summary>
public static class ImageCatalog
{
    /// <summary>All images, in the order the README table lists them.</summary>
    public static IReadOnlyList<CatalogImage> All { get; } =
    [
        new("hello.elf", "every VP prints a line; VP0 waits for all of them and exits 0 (PASS)", HelloGuest.Build),
        new("signal.elf", "HvSignalEvent between two VPs: VP0 signals connection 7 three times, VP1's SINT2 handler sees the flag, only 0→1 interrupts (PASS; run with `--config examples/signal.json`)", () => SignalGuest.Build()),
        new("signal-rax.elf", "the signal guest in the `rax` register convention (PASS with `--config examples/rax-convention.json`)", () => SignalGuest.Build(Runtime.Convention.Rax)),
        new("signal-direct.elf", "the signal guest calling HvSignalEvent through a direct VMCALL in its own code instead of the hypercall page (PASS with `--config examples/signal.json`)", () => SignalGuest.Build(route: Runtime.HypercallRoute.DirectVmcall)),
        new("post-message.elf", "HvPostMessage: VP0 posts three messages to VP1's SINT3 while VP1 has interrupts off; they arrive in order through MessagePending and EOM (PASS with `--config examples/post-message.json`)", PostMessageGuest.Build),
        new("access-denied.elf", "VP0 signals connection 7 without the SignalEvents privilege and expects HV_STATUS_ACCESS_DENIED (PASS with `--config examples/privileges-denied.json`)", () => StatusCodesGuest.Build(accessDenied: true)),
        new("two-partitions.elf", "one image for both partitions of examples/two-partitions.json: each signals the other's port and waits for the other's SINT (PASS)", CrossPartitionGuests.BuildSymmetric),
        new("fault-divide.elf", "VP0 divides by zero: the host reports #DE, the registers and `div ecx` in `divide_by_zero` (FAIL)", DivideByZeroGuest.Build),
        new("fault-page.elf", "VP0 reads unmapped memory at 64 GiB: the host reports #PF, CR2=0x1000000000, the registers and the load in `touch_unmapped` (FAIL)", PageFaultGuest.Build),
        new("assert-fail.elf", "VP0 checks that its HV_X64_MSR_VP_INDEX reads 7: the host reports the message, the C# file:line and the check's instruction (FAIL)", AssertionFailureGuest.Build),
        new("hang.elf", "VP0 spins forever in `spin_forever`: the run times out, naming each VP's RIP and instruction (FAIL after --timeout)", HangGuest.Build),
    ];

    /// <summary>Writes every image into <paramref name="directory"/> and returns the paths written.</summary>
    public static IReadOnlyList<string> WriteAll(string directory)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        foreach (var image in All)
        {
            string path = Path.Combine(directory, image.FileName);
            File.WriteAllBytes(path, image.Build());
            written.Add(path);
        }
        File.WriteAllText(Path.Combine(directory, "README.md"), DescribeAll());
        return written;
    }

    /// <summary>The images/README.md table.</summary>
    public static string DescribeAll()
    {
        var text = new System.Text.StringBuilder();
        text.Append("# Test guest images\n\nBuilt by `guest/` (`dotnet run --project guest/HvBench.Guest -- images`); ");
        text.Append("do not edit: a test rebuilds them and fails if any byte differs.\n\n| image | what it does |\n| --- | --- |\n");
        foreach (var image in All) text.Append($"| `{image.FileName}` | {image.Description} |\n");
        return text.ToString();
    }
}

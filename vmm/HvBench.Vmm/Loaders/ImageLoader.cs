namespace HvBench.Vmm.Loaders;

/// <summary>
/// Reads guest images (ELF64, multiboot v1 ELF32 or flat binary) and checks that they fit the guest ABI (guest-abi.md,
/// "Images"): segments above the VMM's boot area, inside usable RAM, not overlapping, entry point
/// inside a segment. It neither touches guest memory nor knows about KVM; the machine copies
/// <see cref="GuestImage.Segments"/> into RAM.
/// </summary>
/// <remarks>
/// Whatever the bytes, the only exception that comes out for bad input is
/// <see cref="ImageFormatException"/>, with a one-line message naming the file and the problem;
/// tests feed it every truncation and a seeded mutation corpus to hold that.
/// </remarks>
public static class ImageLoader
{
    // A cap on what Load reads, so that a path like /dev/zero fails instead of filling memory.
    // Guest RAM is identity-mapped below 4 GiB, and test images are kilobytes.
    private const int MaxFileBytes = 1 << 30;

    private static ReadOnlySpan<byte> ElfMagic => [0x7F, (byte)'E', (byte)'L', (byte)'F'];

    /// <summary>Reads and validates the image file at <paramref name="path"/>.</summary>
    /// <param name="path">Image file; also the name used in error messages.</param>
    /// <param name="options">Format choice and the allowed guest-physical range.</param>
    /// <returns>The validated image.</returns>
    /// <exception cref="ImageFormatException">The file cannot be read, or is not a valid image for this machine.</exception>
    public static GuestImage Load(string path, ImageLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        return Parse(ReadFile(path), path, options);
    }

    /// <summary>Validates an image held in memory.</summary>
    /// <param name="bytes">The whole image file.</param>
    /// <param name="sourceName">Name used in error messages and for the <c>.bin</c> rule, e.g. the file path.</param>
    /// <param name="options">Format choice and the allowed guest-physical range.</param>
    /// <returns>The validated image; its segment data are copies, not views of <paramref name="bytes"/>.</returns>
    /// <exception cref="ImageFormatException">The bytes are not a valid image for this machine.</exception>
    public static GuestImage Parse(ReadOnlySpan<byte> bytes, string sourceName, ImageLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        ArgumentNullException.ThrowIfNull(options);
        if (options.HighestAddress <= options.LowestAddress)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options), $"HighestAddress 0x{options.HighestAddress:x} must lie above LowestAddress 0x{options.LowestAddress:x}");
        }

        return DecideFormat(bytes, sourceName, options) switch
        {
            GuestImageFormat.Elf64 or GuestImageFormat.Multiboot => ElfImageParser.Parse(bytes, sourceName, options),
            _ => ParseFlat(bytes, sourceName, options),
        };
    }

    /// <summary>Applies guest-abi.md's rule: a forced format wins; else ELF magic means ELF, a <c>.bin</c> name means flat, anything else is refused.</summary>
    internal static GuestImageFormat DecideFormat(ReadOnlySpan<byte> bytes, string sourceName, ImageLoadOptions options)
    {
        if (options.Format is GuestImageFormat forced)
        {
            return forced;
        }

        if (bytes.StartsWith(ElfMagic))
        {
            return GuestImageFormat.Elf64;
        }

        if (sourceName.EndsWith(".bin", StringComparison.OrdinalIgnoreCase))
        {
            return GuestImageFormat.Flat;
        }

        throw NotElf(sourceName);
    }

    /// <summary>The refusal guest-abi.md prescribes for a file that is neither ELF nor declared flat.</summary>
    internal static ImageFormatException NotElf(string sourceName) =>
        new(sourceName, "not an ELF64 image; use --format flat for a flat binary");

    /// <summary>Refuses a segment that reaches into the boot area or past usable RAM.</summary>
    /// <param name="what">How the message names the segment, e.g. <c>segment 1</c>.</param>
    /// <param name="belowHint">Advice appended when the segment lies too low, or null.</param>
    internal static void CheckRange(string what, ulong gpa, ulong memorySize, string sourceName, ImageLoadOptions options, string? belowHint = null)
    {
        UInt128 end = (UInt128)gpa + memorySize;
        if (gpa < options.LowestAddress)
        {
            throw new ImageFormatException(sourceName,
                $"{what} at 0x{gpa:x}..0x{end:x} lies below {DescribeSize(options.LowestAddress)}, which is reserved for the VMM's boot structures{belowHint}");
        }

        if (end > options.HighestAddress)
        {
            throw new ImageFormatException(sourceName,
                $"{what} at 0x{gpa:x}..0x{end:x} lies outside usable guest memory, which ends at 0x{options.HighestAddress:x}");
        }
    }

    private static GuestImage ParseFlat(ReadOnlySpan<byte> bytes, string sourceName, ImageLoadOptions options)
    {
        if (bytes.IsEmpty)
        {
            throw new ImageFormatException(sourceName, "empty image: a flat binary needs at least one byte");
        }

        ulong gpa = options.FlatLoadAddress;
        CheckRange("flat image", gpa, (ulong)bytes.Length, sourceName, options);
        var segment = new ImageSegment(gpa, bytes.ToArray(), (ulong)bytes.Length, executable: true);
        return new GuestImage(gpa, [segment], SymbolTable.Empty, GuestImageFormat.Flat, sourceName);
    }

    private static byte[] ReadFile(string path)
    {
        try
        {
            return InputFile.Read(path, MaxFileBytes);
        }
        catch (InputFileException e)
        {
            string problem = e.Problem switch
            {
                InputFileProblem.NotFound => "file not found",
                InputFileProblem.Directory => "is a directory, not an image file",
                InputFileProblem.TooLarge => $"file is larger than {DescribeSize(MaxFileBytes)}, the most an image may be",
                _ => $"cannot read the file: {e.Message}",
            };
            throw new ImageFormatException(path, problem, e.InnerException ?? e);
        }
    }

    /// <summary>Formats a size as "1 MiB (0x100000)" when it is a whole number of KiB/MiB/GiB, else as hex.</summary>
    internal static string DescribeSize(ulong bytes)
    {
        const ulong KiB = 1024;
        const ulong MiB = KiB * 1024;
        const ulong GiB = MiB * 1024;
        return bytes == 0 ? "0"
            : bytes % GiB == 0 ? $"{bytes / GiB} GiB (0x{bytes:x})"
            : bytes % MiB == 0 ? $"{bytes / MiB} MiB (0x{bytes:x})"
            : bytes % KiB == 0 ? $"{bytes / KiB} KiB (0x{bytes:x})"
            : $"0x{bytes:x}";
    }
}

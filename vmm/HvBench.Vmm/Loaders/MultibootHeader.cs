using System.Buffers.Binary;

namespace HvBench.Vmm.Loaders;

/// <summary>The multiboot v1 header of a 32-bit ELF image (Multiboot Specification 0.6.96, section 3.1): magic
/// 0x1BADB002, flags, checksum, 4-byte aligned within the file's first 8 KiB. HvBench loads such an image from its
/// program headers, as QEMU's <c>-kernel</c> does, and starts it in the machine state of section 3.2
/// (<see cref="Boot.BootLayout.SetMultibootState"/>).</summary>
public static class MultibootHeader
{
    /// <summary>The header's magic.</summary>
    public const uint Magic = 0x1BADB002;

    /// <summary>What the loader leaves in EAX.</summary>
    public const uint BootloaderMagic = 0x2BADB002;

    private const int SearchBytes = 8192;

    // Flags 0..15 are requirements a loader must refuse if it cannot meet them; 16..31 are optional.
    private const uint PageAlignModules = 1 << 0;  // no modules are loaded, so trivially met
    private const uint MemoryInfo = 1 << 1;        // mem_lower and mem_upper are always given
    private const uint MetRequirements = PageAlignModules | MemoryInfo;
    private const uint AddressFields = 1 << 16;    // a.out kludge: load addresses in the header

    /// <summary>Finds the header and returns its flags; refuses an image without a valid one, or one that needs what
    /// HvBench does not give (video mode, unknown requirements, the header's own load addresses).</summary>
    public static uint Find(ReadOnlySpan<byte> file, string source)
    {
        ReadOnlySpan<byte> area = file[..Math.Min(file.Length, SearchBytes)];
        for (int offset = 0; offset + 12 <= area.Length; offset += 4)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(area[offset..]) != Magic) continue;
            uint flags = BinaryPrimitives.ReadUInt32LittleEndian(area[(offset + 4)..]);
            uint checksum = BinaryPrimitives.ReadUInt32LittleEndian(area[(offset + 8)..]);
            if (unchecked(Magic + flags + checksum) != 0)
            {
                throw new ImageFormatException(source,
                    $"multiboot header at byte {offset}: checksum 0x{checksum:x8} does not make magic + flags + checksum zero");
            }

            uint unmet = flags & 0xFFFF & ~MetRequirements;
            if (unmet != 0)
            {
                string what = (unmet & (1 << 2)) != 0 ? "a video mode (flag 2)" : $"features HvBench does not know (flags 0x{unmet:x})";
                throw new ImageFormatException(source, $"multiboot header at byte {offset} requires {what}");
            }

            if ((flags & AddressFields) != 0)
            {
                throw new ImageFormatException(source,
                    $"multiboot header at byte {offset} sets flag 16 (load addresses in the header): HvBench loads 32-bit ELF images from their program headers only");
            }

            return flags;
        }

        throw new ImageFormatException(source,
            "a 32-bit ELF image without a multiboot header in its first 8 KiB: HvBench boots 32-bit code only as multiboot v1");
    }
}

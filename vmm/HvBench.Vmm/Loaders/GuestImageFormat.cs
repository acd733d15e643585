namespace HvBench.Vmm.Loaders;

/// <summary>How an image file is laid out (guest-abi.md, "Images").</summary>
public enum GuestImageFormat
{
    /// <summary>ELF64 x86-64 <c>ET_EXEC</c>: each <c>PT_LOAD</c> goes to its <c>p_paddr</c>; execution starts at <c>e_entry</c>.</summary>
    Elf64,

    /// <summary>ELF32 i386 <c>ET_EXEC</c> with a multiboot v1 header: loaded like ELF64, started in 32-bit protected
    /// mode as the Multiboot Specification says (EAX = 0x2BADB002, EBX = the information structure).</summary>
    Multiboot,

    /// <summary>Raw bytes loaded at <see cref="ImageLoadOptions.FlatLoadAddress"/>; execution starts at the first byte.</summary>
    Flat,
}

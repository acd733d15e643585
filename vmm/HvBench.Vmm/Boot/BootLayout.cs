using System.Buffers.Binary;
using HvBench.Kvm;
using HvBench.Kvm.Interop;

namespace HvBench.Vmm.Boot;

/// <summary>The boot state of guest-abi.md: a GDT and identity-mapped page tables below 1 MiB, a 64 KiB stack
/// per VP at the top of RAM, and each VP in 64-bit long mode at the entry point.</summary>
public static class BootLayout
{
    /// <summary>GPAs below this are the VMM's (guest-abi.md "Images").</summary>
    public const ulong ReservedBelow = 0x100000;

    /// <summary>Each VP's private stack.</summary>
    public const ulong StackSize = 64 * 1024;

    private const ulong GdtAddress = 0x1000;
    private const ulong Pml4Address = 0x2000;
    private const ulong PdptAddress = 0x3000;
    private const ulong PdAddress = 0x4000;   // four page directories, 0x4000..0x7FFF
    private const ulong MultibootInfoAddress = 0x8000;
    private const int GdtEntries = 4;

    /// <summary>Selector of the 64-bit code segment.</summary>
    public const ushort CodeSelector = 0x08;

    /// <summary>Selector of the flat data segment.</summary>
    public const ushort DataSelector = 0x10;

    /// <summary>Selector of the 32-bit code segment a multiboot image starts in.</summary>
    public const ushort Code32Selector = 0x18;

    /// <summary>The top of VP <paramref name="vpIndex"/>'s stack (16-byte aligned).</summary>
    public static ulong StackTop(ulong ramSize, int vpIndex) => ramSize - (ulong)vpIndex * StackSize;

    /// <summary>The first byte of the stacks' area: loaded segments must end at or below it.</summary>
    public static ulong StacksBottom(ulong ramSize, int vpCount) => ramSize - (ulong)vpCount * StackSize;

    /// <summary>Writes the GDT and the page tables (identity map of the first 4 GiB with 2 MiB pages).</summary>
    public static void WriteBootStructures(GuestMemory memory)
    {
        Span<byte> gdt = memory.GetSpan(GdtAddress, GdtEntries * 8);
        BinaryPrimitives.WriteUInt64LittleEndian(gdt[0..], 0);
        BinaryPrimitives.WriteUInt64LittleEndian(gdt[8..], 0x00AF9A000000FFFF);  // 0x08: code, L=1, P, DPL 0
        BinaryPrimitives.WriteUInt64LittleEndian(gdt[16..], 0x00CF92000000FFFF); // 0x10: data, writable, 4 GiB
        BinaryPrimitives.WriteUInt64LittleEndian(gdt[24..], 0x00CF9A000000FFFF); // 0x18: code, D=1 (32-bit), 4 GiB

        const ulong Present = 1, Writable = 2, LargePage = 0x80;
        memory.WriteUInt64(Pml4Address, PdptAddress | Present | Writable);
        for (ulong gib = 0; gib < 4; gib++)
        {
            ulong pd = PdAddress + gib * 0x1000;
            memory.WriteUInt64(PdptAddress + gib * 8, pd | Present | Writable);
            for (ulong entry = 0; entry < 512; entry++)
                memory.WriteUInt64(pd + entry * 8, (gib << 30) + (entry << 21) | Present | Writable | LargePage);
        }
    }

    /// <summary>Sets the special registers of guest-abi.md: long mode, paging, the VMM's GDT, an empty IDT.</summary>
    public static void SetSpecialRegisters(Vcpu vcpu)
    {
        KvmSregs sregs = vcpu.GetSregs();
        sregs.Cs = Segment(CodeSelector, type: 0xB, longMode: true);
        sregs.Ds = sregs.Es = sregs.Fs = sregs.Gs = sregs.Ss = Segment(DataSelector, type: 0x3, longMode: false);
        sregs.Gdt = new KvmDtable { Base = GdtAddress, Limit = GdtEntries * 8 - 1 };
        sregs.Idt = new KvmDtable { Base = 0, Limit = 0 };
        sregs.Cr0 = 0x80010033;   // PG | WP | NE | ET | MP | PE
        sregs.Cr3 = Pml4Address;
        sregs.Cr4 = 0x620;        // OSXMMEXCPT | OSFXSR | PAE
        sregs.Efer = 0xD01;       // NXE | LMA | LME | SCE
        vcpu.SetSregs(sregs);
    }

    /// <summary>Sets the general registers of guest-abi.md for VP <paramref name="vpIndex"/>.</summary>
    public static void SetGeneralRegisters(Vcpu vcpu, ulong entry, int vpIndex, int vpCount, ulong ramSize)
    {
        vcpu.SetRegs(new KvmRegs
        {
            Rip = entry,
            Rdi = (ulong)vpIndex,
            Rsi = (ulong)vpCount,
            Rdx = ramSize,
            Rsp = StackTop(ramSize, vpIndex),
            Rflags = 0x2,
        });
    }

    /// <summary>The machine state of the Multiboot Specification (0.6.96, section 3.2) for a
    /// <see cref="Loaders.GuestImageFormat.Multiboot"/> image: 32-bit protected mode without paging, flat 4 GiB code
    /// and data segments, interrupts off, EAX = 0x2BADB002, EBX = the information structure (memory sizes only). Every
    /// VP starts so; as HvBench's own additions, EDI = the VP index, ESI = the VP count and ESP = the VP's stack top
    /// (when RAM ends at or below 4 GiB; the specification leaves these undefined).</summary>
    public static void SetMultibootState(Vcpu vcpu, GuestMemory memory, ulong entry, int vpIndex, int vpCount, ulong ramSize)
    {
        const ulong Flags = 1; // mem_lower and mem_upper are valid
        memory.WriteUInt64(MultibootInfoAddress, Flags | (640UL << 32));
        memory.WriteUInt64(MultibootInfoAddress + 8, (Math.Min(ramSize, 1UL << 32) - ReservedBelow) / 1024);

        KvmSregs sregs = vcpu.GetSregs();
        sregs.Cs = Segment(Code32Selector, type: 0xB, longMode: false);
        sregs.Ds = sregs.Es = sregs.Fs = sregs.Gs = sregs.Ss = Segment(DataSelector, type: 0x3, longMode: false);
        sregs.Gdt = new KvmDtable { Base = GdtAddress, Limit = GdtEntries * 8 - 1 };
        sregs.Idt = new KvmDtable { Base = 0, Limit = 0 };
        sregs.Cr0 = 0x11;         // ET | PE
        sregs.Cr3 = 0;
        sregs.Cr4 = 0;
        sregs.Efer = 0;
        vcpu.SetSregs(sregs);

        ulong stackTop = StackTop(ramSize, vpIndex);
        vcpu.SetRegs(new KvmRegs
        {
            Rip = entry,
            Rax = Loaders.MultibootHeader.BootloaderMagic,
            Rbx = MultibootInfoAddress,
            Rdi = (ulong)vpIndex,
            Rsi = (ulong)vpCount,
            Rsp = stackTop <= 1UL << 32 ? stackTop : 0,
            Rflags = 0x2,
        });
    }

    private static KvmSegment Segment(ushort selector, byte type, bool longMode) => new()
    {
        Base = 0,
        Limit = 0xFFFFFFFF,
        Selector = selector,
        Type = type,
        Present = 1,
        Dpl = 0,
        Db = longMode ? (byte)0 : (byte)1,
        S = 1,
        L = longMode ? (byte)1 : (byte)0,
        G = 1,
    };
}

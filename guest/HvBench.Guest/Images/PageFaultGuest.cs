using HvBench.Guest.Runtime;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Guest.Images;

/// <summary>fault-page: VP0 reads 64 GiB (<see cref="UnmappedAddress"/>), beyond the 4 GiB the boot page tables map,
/// in <c>touch_unmapped</c>; the handler reports #PF (not present, read) with CR2 = that address.</summary>
public static class PageFaultGuest
{
    /// <summary>A canonical linear address with no page-table entry (guest-abi.md maps only the first 4 GiB).</summary>
    public const ulong UnmappedAddress = 0x10_0000_0000;

    /// <summary>Builds the image.</summary>
    public static byte[] Build()
    {
        var guest = new HypervGuest(maxVps: 2);
        var a = guest.Asm;
        guest.OnVp(0, () =>
        {
            guest.Console.Print("VP0: reading unmapped memory\n");
            var touch = guest.Builder.Function("touch_unmapped");
            guest.Builder.Bind(ref touch);
            a.mov(rsi, UnmappedAddress);
            a.mov(ecx, __dword_ptr[rsi]);
            guest.Pass();                           // never reached
        });
        return guest.Build();
    }
}

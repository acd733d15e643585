namespace HvBench.Vmm.Intercepts;

/// <summary>The I/O-port hypercall page (<see cref="HypercallPageKind.Io"/>): <c>out 0xE8, al; ret</c>. A guest
/// <c>out</c> to <see cref="Port"/> is then a hypercall whose inputs are the registers at the exit (read through
/// sync_regs); the result goes to RAX. KVM completes the OUT itself on re-entry (it has either advanced RIP already, when
/// it emulated the instruction, or skips it after applying sync_regs), so the VMM leaves RIP alone.</summary>
public static class IoHypercallPage
{
    /// <summary>HvBench's private hypercall port (docs/guest-abi.md, "Devices"); only a hypercall port on machines
    /// whose page is <see cref="HypercallPageKind.Io"/>, an ordinary unclaimed port otherwise.</summary>
    public const ushort Port = 0xE8;

    /// <summary>The page's bytes: <c>E6 E8</c> (out imm8, al) and <c>C3</c> (ret). Three bytes, one shorter than
    /// <c>vmcall; ret</c>.</summary>
    public static byte[] Code => [0xE6, (byte)Port, 0xC3];
}

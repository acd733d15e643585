using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Guest.Runtime;

/// <summary>TSC timing: <c>lfence; rdtsc</c>, serialised before the read (RDTSCP is absent on some hosts, ours
/// included: host-kvm.md).</summary>
public static class Tsc
{
    /// <summary>Reads the TSC into <paramref name="destination"/> (clobbers RAX, RDX).</summary>
    public static void EmitRead(Assembler a, AssemblerRegister64 destination)
    {
        a.lfence();
        a.rdtsc();
        a.shl(rdx, 32);
        a.or(rax, rdx);
        if (destination != rax) a.mov(destination, rax);
    }
}

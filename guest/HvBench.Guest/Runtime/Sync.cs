using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Guest.Runtime;

/// <summary>Per-VP synchronisation in shared memory: one-shot barriers and flags.</summary>
public sealed class Sync
{
    private readonly GuestBuilder _builder;
    private int _barriers;

    /// <summary>Synchronisation helpers for <paramref name="builder"/>'s guest.</summary>
    public Sync(GuestBuilder builder) => _builder = builder;

    /// <summary>A one-shot barrier: every VP waits until <paramref name="vpCount"/> VPs arrived (clobbers RAX).</summary>
    public void EmitBarrier(AssemblerRegister64 vpCount)
    {
        var a = _builder.Asm;
        ulong counter = _builder.Allocate($"barrier{_barriers++}", 8);
        Label wait = a.CreateLabel();
        a.mov(rax, counter);
        a.@lock.inc(__qword_ptr[rax]);
        a.Label(ref wait);
        a.pause();
        a.cmp(__qword_ptr[rax], vpCount);
        a.jb(wait);
    }

    /// <summary>Spins until the 64-bit word at <paramref name="address"/> is at least <paramref name="value"/> (clobbers RAX).</summary>
    public void EmitWaitAtLeast(ulong address, AssemblerRegister64 value)
    {
        var a = _builder.Asm;
        Label wait = a.CreateLabel();
        a.mov(rax, address);
        a.Label(ref wait);
        a.pause();
        a.cmp(__qword_ptr[rax], value);
        a.jb(wait);
    }

    /// <summary>Spins until the 64-bit word at <paramref name="address"/> is at least the constant <paramref name="value"/> (clobbers RAX).</summary>
    public void EmitWaitAtLeast(ulong address, int value)
    {
        var a = _builder.Asm;
        Label wait = a.CreateLabel();
        a.mov(rax, address);
        a.Label(ref wait);
        a.pause();
        a.cmp(__qword_ptr[rax], value);
        a.jl(wait);
    }
}

using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Guest.Runtime;

/// <summary>Per-VP synchronisation in shared memory: one-shot barriers and flags, and a short busy wait.</summary>
public sealed class Sync
{
    private readonly GuestBuilder _builder;
    private int _barriers;

    /// <summary>Synchronisation helpers for <paramref name="builder"/>'s guest.</summary>
    public Sync(GuestBuilder builder) => _builder = builder;

    /// <summary>Reserves a one-shot barrier; every VP then emits <see cref="EmitBarrier"/> with it, on its own code path.</summary>
    public ulong CreateBarrier() => _builder.Allocate($"barrier{_barriers++}", 8);

    /// <summary>Waits at <paramref name="barrier"/> until <paramref name="vpCount"/> VPs arrived (clobbers RAX).</summary>
    public void EmitBarrier(ulong barrier, AssemblerRegister64 vpCount)
    {
        var a = _builder.Asm;
        ulong counter = barrier;
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
        a.jb(wait);                                     // unsigned, like the register form: counters are unsigned
    }

    /// <summary>A short busy wait of <paramref name="iterations"/> PAUSEs (clobbers RCX).</summary>
    public void EmitDelay(int iterations)
    {
        var a = _builder.Asm;
        Label loop = a.CreateLabel();
        a.mov(ecx, iterations);
        a.Label(ref loop);
        a.pause();
        a.dec(ecx);
        a.jnz(loop);
    }
}

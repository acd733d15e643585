using System.Buffers.Binary;
using System.Numerics;
using HvBench.Kvm;

namespace HvBench.Experiments.UserSpaceLapic;

/// <summary>Route B's LAPIC for one target VP, owned by the VMM: IRR and ISR as bitmaps, fixed interrupts injected with
/// KVM_INTERRUPT on the VP's own thread, the guest's xAPIC MMIO (ID, version, TPR, SVR, EOI, ISR/IRR reads) answered
/// here, and a halted VP's thread blocked until a vector is raised. Just enough for the experiment: no timer, no ICR,
/// no priorities beyond "a vector is taken only above the highest in-service class".</summary>
public sealed class MinimalUserSpaceLapic
{
    private const int Running = 0, Waiting = 1;

    private readonly Vcpu _vcpu;
    private readonly ulong[] _irr = new ulong[4];     // set from any thread (Interlocked), taken on the VP's thread
    private readonly ulong[] _isr = new ulong[4];     // the VP's thread only
    private readonly SemaphoreSlim _wake = new(0);
    private int _state = Running;
    private int _stopped;
    private uint _svr = 0xFF;
    private uint _tpr;
    private long _kicks;

    /// <summary>Creates the LAPIC of <paramref name="vcpu"/>; its APIC id is the vCPU id.</summary>
    public MinimalUserSpaceLapic(Vcpu vcpu) => _vcpu = vcpu;

    /// <summary>Vectors injected with KVM_INTERRUPT.</summary>
    public long Injected { get; private set; }

    /// <summary>Times the VP's thread re-entered with request_interrupt_window set because the guest could not take a pending vector.</summary>
    public long WindowRequests { get; private set; }

    /// <summary>Times the VP's thread blocked in <see cref="WaitWhileHalted"/>.</summary>
    public long Blocks { get; private set; }

    /// <summary>Kicks sent because the VP was not waiting when a vector was raised.</summary>
    public long Kicks => Interlocked.Read(ref _kicks);

    /// <summary>From any thread: sets <paramref name="vector"/> in IRR and wakes the VP (releases its blocked thread, or
    /// kicks it out of KVM_RUN).</summary>
    public void Raise(byte vector)
    {
        Interlocked.Or(ref _irr[vector >> 6], 1UL << (vector & 63));
        Wake();
    }

    /// <summary>From any thread: ends <see cref="WaitWhileHalted"/> for good.</summary>
    public void Stop()
    {
        Volatile.Write(ref _stopped, 1);
        Wake();
    }

    private void Wake()
    {
        if (Interlocked.CompareExchange(ref _state, Running, Waiting) == Waiting) _wake.Release();
        else
        {
            Interlocked.Increment(ref _kicks);
            _vcpu.Kick();
        }
    }

    /// <summary>On the VP's thread after KVM_EXIT_HLT: blocks until a vector is pending or <see cref="Stop"/>; false when stopped.</summary>
    public bool WaitWhileHalted()
    {
        // A full fence, not Volatile.Write: the store must be visible before IRR is read, or a Raise between them sees
        // "running", kicks instead of releasing, and this thread sleeps with a vector pending (seen here, 1 in ~100,000).
        Interlocked.Exchange(ref _state, Waiting);
        if (HasRequest() || Volatile.Read(ref _stopped) != 0)
        {
            // Someone may have flipped the state and released in between: then take that release.
            if (Interlocked.CompareExchange(ref _state, Running, Waiting) != Waiting) _wake.Wait();
        }
        else
        {
            Blocks++;
            _wake.Wait();                            // the waker set Running before releasing
        }
        return Volatile.Read(ref _stopped) == 0;
    }

    /// <summary>On the VP's thread before every KVM_RUN: injects the highest pending vector if the guest can take it now,
    /// else asks KVM for an interrupt window when it is only the guest's IF or interrupt shadow in the way.</summary>
    public void BeforeRun()
    {
        _vcpu.RequestInterruptWindow = false;
        int vector = Highest(_irr, atomic: true);
        if (vector < 0 || (_svr & 0x100) == 0) return;
        int inService = Highest(_isr, atomic: false);
        if (inService >= 0 && vector >> 4 <= inService >> 4) return;   // waits for an EOI
        if (!_vcpu.ReadyForInterruptInjection || !_vcpu.InterruptFlag)
        {
            _vcpu.RequestInterruptWindow = true;
            WindowRequests++;
            return;
        }
        Interlocked.And(ref _irr[vector >> 6], ~(1UL << (vector & 63)));
        _isr[vector >> 6] |= 1UL << (vector & 63);
        _vcpu.Interrupt((byte)vector);
        Injected++;
    }

    /// <summary>On the VP's thread: answers a KVM_EXIT_MMIO inside the LAPIC page; false for any other address.</summary>
    public bool HandleMmio(ulong gpa, bool isWrite, Span<byte> data)
    {
        if (gpa < LapicPingPongGuest.LapicBase || gpa >= LapicPingPongGuest.LapicBase + 0x1000) return false;
        int register = (int)(gpa - LapicPingPongGuest.LapicBase);
        if (isWrite)
        {
            uint value = data.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(data) : data[0];
            switch (register)
            {
                case 0x80: _tpr = value & 0xFF; break;
                case 0xB0: Eoi(); break;
                case 0xF0: _svr = value & 0x1FF; break;
            }
            return true;
        }
        uint result = register switch
        {
            0x20 => (uint)_vcpu.Id << 24,
            0x30 => 0x00050014,                    // version 0x14, max LVT 5
            0x80 => _tpr,
            0xF0 => _svr,
            >= 0x100 and < 0x180 when (register & 0xF) == 0 => Word(_isr, (register - 0x100) >> 4),
            >= 0x200 and < 0x280 when (register & 0xF) == 0 => Word(_irr, (register - 0x200) >> 4),
            _ => 0,
        };
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(word, result);
        data.Clear();
        word[..Math.Min(4, data.Length)].CopyTo(data);
        return true;
    }

    /// <summary>The LAPIC's state in one line, for a run that hangs.</summary>
    public string Describe() =>
        $"IRR 0x{Volatile.Read(ref _irr[1]):x}, ISR 0x{_isr[1]:x} (vectors 64..127), SVR 0x{_svr:x}, waiting {Volatile.Read(ref _state) == Waiting}, " +
        $"injected {Injected}, window requests {WindowRequests}, kicks {Kicks}, request_interrupt_window {_vcpu.RequestInterruptWindow}, " +
        $"ready {_vcpu.ReadyForInterruptInjection}, IF {_vcpu.InterruptFlag}";

    private void Eoi()
    {
        int vector = Highest(_isr, atomic: false);
        if (vector >= 0) _isr[vector >> 6] &= ~(1UL << (vector & 63));
    }

    private bool HasRequest() => (Volatile.Read(ref _irr[0]) | Volatile.Read(ref _irr[1]) | Volatile.Read(ref _irr[2]) | Volatile.Read(ref _irr[3])) != 0;

    private static uint Word(ulong[] bits, int index) => (uint)(bits[index >> 1] >> (32 * (index & 1)));

    private static int Highest(ulong[] bits, bool atomic)
    {
        for (int i = 3; i >= 0; i--)
        {
            ulong word = atomic ? Volatile.Read(ref bits[i]) : bits[i];
            if (word != 0) return i * 64 + 63 - BitOperations.LeadingZeroCount(word);
        }
        return -1;
    }
}

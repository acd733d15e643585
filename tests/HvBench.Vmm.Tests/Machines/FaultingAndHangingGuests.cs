using HvBench.Guest;
using HvBench.Guest.Runtime;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Vmm.Tests.Machines;

/// <summary>Guests that never pass: each run must end with a defined verdict and a report naming where.</summary>
[TestFixture, Category("Kvm")]
public sealed class FaultingAndHangingGuests
{
    private static byte[] Build(Action<GuestBuilder> emit)
    {
        var g = new GuestBuilder();
        var start = g.Function("_start");
        g.Bind(ref start);
        emit(g);
        return g.BuildElf();
    }

    [Test, CancelAfter(20_000)]
    public void ASpinningGuestTimesOutNamingEachVpsRipAndInstruction(CancellationToken token)
    {
        byte[] image = Build(g =>
        {
            var spin = g.Function("spin_forever");
            g.Bind(ref spin);
            g.Asm.jmp(spin);
        });
        RunResult result = GuestRun.Boot(image, vcpus: 2, timeoutSeconds: 1, token: token);
        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.TimedOut));
        Assert.That(result.Reason, Is.EqualTo("timed out after 1 s"));
        Assert.That(result.Elapsed, Is.LessThan(TimeSpan.FromSeconds(3)));
        Assert.That(result.Registers, Has.Count.EqualTo(2));
        foreach (var vp in result.Registers)
        {
            Assert.That(vp.Symbol, Is.EqualTo("spin_forever"));
            Assert.That(vp.Format(), Does.Contain("jmp short").And.Contain("<spin_forever>"));
        }
    }

    [Test, CancelAfter(20_000)]
    public void EveryVpHaltedWithInterruptsOffEndsTheRun(CancellationToken token)
    {
        byte[] image = Build(g => { g.Asm.cli(); g.Asm.hlt(); });
        RunResult result = GuestRun.Boot(image, vcpus: 2, timeoutSeconds: 15, token: token);
        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.AllHalted));
        Assert.That(result.Reason, Is.EqualTo("all VPs halted with interrupts disabled"));
        // Elapsed is the VMM's own run clock (from the VPs' start to the verdict, no process or machine set-up), and the
        // guest halts after two instructions, so this is the detection time guest-abi.md bounds by a second.
        Assert.That(result.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)), "guest-abi.md: the run ends within a second");
    }

    [Test, CancelAfter(20_000)]
    public void ADivideByZeroWithoutAnIdtIsATripleFaultReportedWithTheInstruction(CancellationToken token)
    {
        byte[] image = Build(g =>
        {
            var fault = g.Function("divide_by_zero");
            g.Asm.xor(ecx, ecx);
            g.Bind(ref fault);
            g.Asm.div(ecx);
        });
        RunResult result = GuestRun.Boot(image, token: token);
        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.GuestFault));
        Assert.That(result.Reason, Does.Contain("triple fault").And.Contain("<divide_by_zero>").And.Contain("div ecx"));
    }

    [Test, CancelAfter(20_000)]
    public void ANonZeroExitCodeFailsWithThatCode(CancellationToken token)
    {
        byte[] image = Build(g => { g.Asm.mov(eax, 0x2A); g.Asm.@out(0xF4, eax); });
        RunResult result = GuestRun.Boot(image, token: token);
        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.GuestFailed));
        Assert.That(result.GuestExitCode, Is.EqualTo(42u));
        Assert.That(result.Verdict, Does.StartWith("FAIL: guest exit code 42"));
    }

    [Test, CancelAfter(20_000)]
    public void CancellationFromAnotherThreadEndsTheRunAndTearsDown(CancellationToken token)
    {
        byte[] image = Build(g =>
        {
            var spin = g.Function("spin");
            g.Bind(ref spin);
            g.Asm.jmp(spin);
        });
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(token);
        cancel.CancelAfter(200);
        RunResult result = GuestRun.Boot(image, vcpus: 2, timeoutSeconds: 15, token: cancel.Token);
        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Cancelled));
    }

    [Test, CancelAfter(20_000)]
    public void UnclaimedPortsReadAllOnesAndAreCounted(CancellationToken token)
    {
        byte[] image = Build(g =>
        {
            var a = g.Asm;
            a.@in(al, 0x80);
            a.@out(0x80, al);
            a.cmp(al, 0xFF);
            var bad = a.CreateLabel();
            a.jne(bad);
            Exit.EmitExit(a, 0);
            a.Label(ref bad);
            Exit.EmitExit(a, 1);
        });
        RunResult result = GuestRun.Boot(image, token: token);
        Assert.That(result.Passed, Is.True, result.Verdict);
        Assert.That(result.Statistics.UnclaimedPortReads, Is.EqualTo(1));
        Assert.That(result.Statistics.UnclaimedPortWrites, Is.EqualTo(1));
    }

    [Test, CancelAfter(20_000)]
    public void UnclaimedMmioReadsAllOnesIsCountedAndAnAttachedDeviceAnswers(CancellationToken token)
    {
        const ulong Unclaimed = 0xD000_0000, DeviceBase = 0xE000_0000;
        byte[] image = Build(g =>
        {
            var a = g.Asm;
            var bad = a.CreateLabel();
            a.mov(rbx, Unclaimed);
            a.mov(__dword_ptr[rbx], 0x1234);            // dropped
            a.mov(eax, __dword_ptr[rbx]);
            a.cmp(eax, -1);
            a.jne(bad);
            a.mov(rbx, DeviceBase);
            a.mov(__dword_ptr[rbx + 8], 0x5678);        // the device keeps it
            a.mov(eax, __dword_ptr[rbx + 8]);
            a.cmp(eax, 0x5678);
            a.jne(bad);
            Exit.EmitExit(a, 0);
            a.Label(ref bad);
            Exit.EmitExit(a, 1);
        });
        var device = new ScratchRegisters();
        RunResult result = GuestRun.Boot(image, token: token, setup: machine => machine.Mmio.Attach(DeviceBase, 0x1000, device));
        Assert.That(result.Passed, Is.True, result.Verdict);
        Assert.That((result.Statistics.UnclaimedMmioReads, result.Statistics.UnclaimedMmioWrites), Is.EqualTo((1L, 1L)));
        Assert.That(device.Writes, Is.EqualTo(new[] { (8UL, 0x5678UL) }));
    }

    /// <summary>An MMIO device that keeps what is written at each offset.</summary>
    private sealed class ScratchRegisters : HvBench.Vmm.Devices.IMmioDevice
    {
        private readonly Dictionary<ulong, ulong> _values = [];

        public List<(ulong Offset, ulong Value)> Writes { get; } = [];

        public void Read(int vpIndex, ulong offset, Span<byte> data)
        {
            Span<byte> value = stackalloc byte[8];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(value, _values.GetValueOrDefault(offset));
            value[..data.Length].CopyTo(data);
        }

        public void Write(int vpIndex, ulong offset, ReadOnlySpan<byte> data)
        {
            Span<byte> value = stackalloc byte[8];
            value.Clear();
            data.CopyTo(value);
            _values[offset] = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(value);
            Writes.Add((offset, _values[offset]));
        }
    }
}

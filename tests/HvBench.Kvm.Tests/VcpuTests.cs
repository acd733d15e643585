using HvBench.Kvm.Interop;
using HvBench.Tests;

namespace HvBench.Kvm.Tests;

/// <summary>Real guest code through the KVM layer alone: a real-mode VM with no in-kernel irqchip, so HLT
/// exits to user space (the shape of kvm-ioctls' test_run_code).</summary>
[TestFixture, Category("Kvm")]
public sealed class RunningRealModeCode
{
    private KvmSystem _kvm = null!;
    private VirtualMachine _vm = null!;
    private Vcpu _vcpu = null!;

    [SetUp]
    public void CreateVm()
    {
        KvmRequirement.Require();
        _kvm = KvmSystem.Open();
        _vm = _kvm.CreateVm();
        var memory = new GuestMemory(0x10000);
        _vm.MapMemory(memory);
        _vcpu = _vm.CreateVcpu(0);
        KvmSregs sregs = _vcpu.GetSregs();
        sregs.Cs.Base = 0;
        sregs.Cs.Selector = 0;
        _vcpu.SetSregs(sregs);
        _vcpu.SetRegs(new KvmRegs { Rip = 0x1000, Rflags = 2 });
        Memory = memory;
    }

    private GuestMemory Memory { get; set; } = null!;

    [TearDown]
    public void Dispose()
    {
        _vcpu?.Dispose();
        _vm?.Dispose();
        _kvm?.Dispose();
    }

    [Test]
    public void GivesAnIoExitWithTheByteThenHlt()
    {
        // mov al, 'K'; out 0xE9, al; hlt
        Memory.TryWrite(0x1000, [0xB0, (byte)'K', 0xE6, 0xE9, 0xF4]);
        VcpuExit exit = _vcpu.Run();
        Assert.That(exit.Reason, Is.EqualTo(VcpuExitReason.Io));
        Assert.That(exit.Io.Port, Is.EqualTo(0xE9));
        Assert.That(exit.Io.Direction, Is.EqualTo(1));
        Assert.That(exit.IoData.ToArray(), Is.EqualTo(new[] { (byte)'K' }));
        Assert.That(_vcpu.SyncRegs.Rax & 0xFF, Is.EqualTo((ulong)'K'), "sync_regs carry RAX without KVM_GET_REGS");
        Assert.That(_vcpu.Run().Reason, Is.EqualTo(VcpuExitReason.Hlt));
    }

    [Test]
    public void TakesRegistersWrittenThroughSyncRegs()
    {
        // out 0xE9, al; out 0xE9, al; hlt — the second OUT must see the AL the VMM wrote in between.
        Memory.TryWrite(0x1000, [0xE6, 0xE9, 0xE6, 0xE9, 0xF4]);
        Assert.That(_vcpu.Run().Reason, Is.EqualTo(VcpuExitReason.Io));
        _vcpu.SyncRegs.Rax = 'Z';
        _vcpu.MarkRegsDirty();
        VcpuExit exit = _vcpu.Run();
        Assert.That(exit.IoData[0], Is.EqualTo((byte)'Z'));
    }

    [Test, CancelAfter(10_000)]
    public void ReturnsInterruptedWhenKickedFromAnotherThread(CancellationToken token)
    {
        Memory.TryWrite(0x1000, [0xEB, 0xFE]); // jmp $
        VcpuExitReason reason = VcpuExitReason.Unknown;
        var thread = new Thread(() =>
        {
            _vcpu.BindToCurrentThread();
            reason = _vcpu.Run().Reason;
            _vcpu.UnbindThread();
        });
        thread.Start();
        Thread.Sleep(50);
        while (thread.IsAlive && !token.IsCancellationRequested)
        {
            _vcpu.Kick();
            thread.Join(20);
        }
        Assert.That(reason, Is.EqualTo(VcpuExitReason.Interrupted));
    }

    [Test]
    public void ReturnsInterruptedAtOnceWhenKickedBeforeRun()
    {
        Memory.TryWrite(0x1000, [0xEB, 0xFE]);
        _vcpu.Kick(); // no thread bound yet: immediate_exit alone must stop the next KVM_RUN
        Assert.That(_vcpu.Run().Reason, Is.EqualTo(VcpuExitReason.Interrupted));
    }

    [Test]
    public void StopsAtAHardwareBreakpointBeforeTheInstructionRuns()
    {
        // nop; out 0xE9, al (breakpoint here); hlt
        Memory.TryWrite(0x1000, [0x90, 0xE6, 0xE9, 0xF4]);
        _vcpu.SetHardwareBreakpoints([0x1001]);
        VcpuExit exit = _vcpu.Run();
        Assert.That(exit.Reason, Is.EqualTo(VcpuExitReason.Debug));
        Assert.That(exit.Debug.Pc, Is.EqualTo(0x1001UL));
        Assert.That(exit.Debug.Exception, Is.EqualTo(1u), "#DB");
    }

    [Test]
    public void ReadsAndWritesAnMsr()
    {
        _vcpu.SetMsr(0x174 /* IA32_SYSENTER_CS */, 0x10);
        Assert.That(_vcpu.GetMsr(0x174), Is.EqualTo(0x10UL));
    }

    [Test]
    public void ReportsItsTscFrequency() => Assert.That(_vcpu.GetTscKhz(), Is.GreaterThan(100_000));

    [Test]
    public void ThrowsNamingTheIoctlAfterItsVmIsDisposed()
    {
        _vm.Dispose();
        Assert.That(() => _vcpu.GetRegs(), Throws.TypeOf<KvmException>().With.Message.StartsWith("KVM_GET_REGS failed: EBADF"));
    }
}

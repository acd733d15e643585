using System.Diagnostics;
using HvBench.Kvm;
using HvBench.Vmm.Boot;

namespace HvBench.Vmm.Host;

/// <summary>A bare one-VP VM for the host probes (<see cref="CalibrationGuest"/>, <see cref="LapicIsrProbe"/>): RAM, the
/// guest-abi.md boot state at an entry point, no Hyper-V and no <see cref="Machine"/>, run on the calling thread under
/// a watchdog until the guest writes its exit port.</summary>
internal sealed class ProbeVm : IDisposable
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(5);

    private ProbeVm(VirtualMachine vm, GuestMemory memory, Vcpu vcpu)
    {
        Vm = vm;
        Memory = memory;
        Vcpu = vcpu;
    }

    public VirtualMachine Vm { get; }

    public GuestMemory Memory { get; }

    public Vcpu Vcpu { get; }

    /// <summary>The watchdog's limit on <see cref="RunToExitPort"/>.</summary>
    public static TimeSpan Limit => s_limit;

    /// <summary>A VM of <paramref name="memoryBytes"/> (with in-kernel LAPICs, as the machine has, if asked), its boot structures, and VP 0
    /// at the boot state with RIP = <paramref name="entry"/>; load the code into <see cref="Memory"/> before running.</summary>
    public static ProbeVm Create(KvmSystem kvm, ulong memoryBytes, ulong entry, bool irqchip = false)
    {
        VirtualMachine vm = kvm.CreateVm();
        try
        {
            if (irqchip) vm.CreateSplitIrqchip(ioapicPins: 0);
            var memory = new GuestMemory(memoryBytes);
            try
            {
                vm.MapMemory(memory); // from here on the VM owns the memory and frees it
            }
            catch
            {
                memory.Dispose();
                throw;
            }

            BootLayout.WriteBootStructures(memory);
            Vcpu vcpu = vm.CreateVcpu(0); // the VM disposes it
            // KVM refuses long mode (EFER.LME) unless the guest's CPUID says the CPU has it.
            vcpu.SetCpuid(CpuidTable.ForVp(kvm.GetSupportedCpuid(), 0));
            BootLayout.SetSpecialRegisters(vcpu);
            BootLayout.SetGeneralRegisters(vcpu, entry, 0, 1, memoryBytes);
            return new ProbeVm(vm, memory, vcpu);
        }
        catch
        {
            vm.Dispose();
            throw;
        }
    }

    /// <summary>Runs VP 0 until it writes <paramref name="exitPort"/>. Other port exits go to <paramref name="onPort"/>,
    /// which says whether it handled them; anything else is a <see cref="MachineException"/> naming
    /// <paramref name="what"/>, and no exit port within <see cref="Limit"/> one saying <paramref name="late"/>.</summary>
    public void RunToExitPort(byte exitPort, string what, string late, Func<ushort, bool>? onPort = null)
    {
        var clock = Stopwatch.StartNew();
        Vcpu.BindToCurrentThread();
        var watchdog = new Timer(_ => Vcpu.Kick(), null, s_limit, Timeout.InfiniteTimeSpan);
        try
        {
            while (true)
            {
                VcpuExit exit = Vcpu.Run();
                if (exit.Reason == VcpuExitReason.Io && exit.Io.Port == exitPort) break;
                if (exit.Reason == VcpuExitReason.Io && onPort is not null && onPort(exit.Io.Port)) continue;
                if (exit.Reason == VcpuExitReason.Interrupted && clock.Elapsed < s_limit) continue;
                throw new MachineException(exit.Reason == VcpuExitReason.Interrupted
                    ? $"{late} within {s_limit.TotalSeconds:0} s"
                    : $"{what} stopped with exit {exit.Reason} instead of writing its exit port");
            }
        }
        finally
        {
            // Wait for a kick already under way: the vCPU's run page is unmapped when the VM is disposed.
            using (var stopped = new ManualResetEvent(false))
            {
                if (watchdog.Dispose(stopped)) stopped.WaitOne();
            }

            Vcpu.UnbindThread();
        }
    }

    public void Dispose() => Vm.Dispose();
}

using HvBench.Hyperv;
using HvBench.Kvm;
using HvBench.Kvm.Interop;
using HvBench.Vmm.Boot;
using HvBench.Vmm.Devices;
using HvBench.Vmm.Host;
using HvBench.Vmm.Hyperv;
using HvBench.Vmm.Intercepts;
using HvBench.Vmm.Loaders;
using HvBench.Vmm.Reports;
using HvBench.Vmm.Tracing;

namespace HvBench.Vmm;

/// <summary>One guest machine (one Hyper-V partition) on KVM: builds the VM from a <see cref="MachineConfig"/>, loads
/// the image, sets the boot state on every VP, wires the Hyper-V model (synthetic MSRs, CPUID, the hypercall intercept,
/// SINT injection), runs one thread per VP until a verdict, and tears everything down.</summary>
public sealed class Machine : IDisposable
{
    private readonly KvmSystem _kvm;
    private readonly bool _ownsKvm;
    private readonly VcpuRunner[] _runners;
    private RunControl _control;
    private int _disposed;

    private Machine(MachineConfig config, KvmSystem kvm, bool ownsKvm)
    {
        Config = config;
        _kvm = kvm;
        _ownsKvm = ownsKvm;
        // KVM refuses KVM_CREATE_VCPU past its limit with a bare EINVAL: say which limit instead.
        int maxVcpus = kvm.CheckExtension(KvmCap.MaxVcpus);
        if (maxVcpus > 0 && config.VcpuCount > maxVcpus)
            throw new MachineException($"vcpus: {config.VcpuCount} is more than this host's KVM allows in one VM ({maxVcpus}, KVM_CAP_MAX_VCPUS)");
        Intercept = InterceptProbe.Choose(kvm, config.Intercept);
        _control = new RunControl(config.Timeout);
        Memory = new GuestMemory(config.MemoryBytes);
        try
        {
            Vm = kvm.CreateVm();
            Vm.MapMemory(Memory); // from here on the VM owns the memory and frees it
            Console = new GuestConsole(config.VcpuCount, config.OnConsoleLine);
            Ports = new PortBus();
            Ports.Attach(DebugConsolePort.Port, 1, new DebugConsolePort(Console));
            Ports.Attach(Uart16550.BasePort, 8, new Uart16550(Console));
            // One port: a 16- or 32-bit OUT to 0xF4 arrives there whole, and 0xF5..0xF7 stay ports with nothing there (guest-abi.md).
            Ports.Attach(ExitDevice.Port, 1, new ExitDevice(OnGuestExit));
            _runners = new VcpuRunner[config.VcpuCount];
            AutoEoi = new AutoEoi(config.VcpuCount, vp => _runners[vp]?.Kick());
            Sints = new SintInjector(Vm, AutoEoi, config.Trace is null ? null : TraceSint);
            Hyperv = new Partition(config.PartitionId, config.VcpuCount, config.Privileges, config.Convention,
                config.StatusProfile, new GuestMemoryAccess(Memory), Sints);
            if (config.HypercallPage == HypercallPageKind.Io) Hyperv.HypercallPageCode = IoHypercallPage.Code;
        }
        catch
        {
            // Create sees no machine to dispose when the constructor throws: free what was made here.
            Vm?.Dispose();
            Memory.Dispose();
            _control.Dispose();
            throw;
        }
    }

    /// <summary>Builds a machine: VM, RAM, in-kernel LAPICs, the image loaded, the Hyper-V model wired, every VP at
    /// the boot state.</summary>
    /// <exception cref="MachineException">KVM refused a step, or the image cannot run here; the message says which.</exception>
    public static Machine Create(MachineConfig config, KvmSystem? kvm = null)
    {
        config.Validate();
        bool ownsKvm = kvm is null;
        KvmSystem system;
        try
        {
            system = kvm ?? KvmSystem.Open();
        }
        catch (KvmException e)
        {
            throw new MachineException(KvmDeviceProblem.Describe("/dev/kvm", e), e);
        }
        Machine? machine = null;
        try
        {
            machine = new Machine(config, system, ownsKvm);
            machine.Build();
            return machine;
        }
        catch (Exception e)
        {
            // Whatever went wrong, nothing half-built stays behind (an image placed outside RAM from C#, for one).
            if (machine is not null) machine.Dispose();
            else if (ownsKvm) system.Dispose();
            if (e is KvmException or MachineException)
                throw e as MachineException ?? new MachineException($"building the VM failed: {e.Message}", e);
            throw;
        }
    }

    /// <summary>The configuration this machine was built from.</summary>
    public MachineConfig Config { get; }

    /// <summary>Guest RAM.</summary>
    public GuestMemory Memory { get; }

    /// <summary>The KVM VM.</summary>
    public VirtualMachine Vm { get; }

    /// <summary>The Hyper-V partition this machine is: add ports and connections here before <see cref="Run"/>.</summary>
    public Partition Hyperv { get; }

    /// <summary>The hypercall intercept in use.</summary>
    public InterceptKind Intercept { get; }

    /// <summary>The guest's console text.</summary>
    public GuestConsole Console { get; }

    /// <summary>The port-I/O bus (add devices before <see cref="Run"/>).</summary>
    public PortBus Ports { get; }

    /// <summary>The MMIO bus: guest-physical ranges outside RAM (add devices before <see cref="Run"/>).</summary>
    public MmioBus Mmio { get; } = new();

    /// <summary>Direct VMCALL sites found in the image's executable segments.</summary>
    public IReadOnlyList<ulong> DirectVmcallSites { get; private set; } = [];

    internal AutoEoi AutoEoi { get; }

    internal SintInjector Sints { get; }

    internal BreakpointSites? Breakpoints { get; private set; }

    internal RunControl Control => _control;

    internal bool Stopping => _control.Stopping;

    internal long ElapsedTicks => _control.Clock.ElapsedTicks;

    internal ITraceSink? Trace => Config.Trace;

    private void Build()
    {
        // LAPICs in the kernel and nothing else: the contract has no PIC or IOAPIC (their ports and page are unclaimed),
        // and KVM_CREATE_IRQCHIP's PIC and IOAPIC cost one SRCU grace period (13-20 ms here) when the VM is destroyed.
        Vm.CreateSplitIrqchip(ioapicPins: 0);
        // An unknown VMCALL must be a #UD in the guest, never an endless loop inside KVM (host-kvm.md).
        if ((Vm.CheckExtension(KvmCap.DisableQuirks2) & (int)VirtualMachine.QuirkFixHypercallInsn) != 0)
            Vm.DisableQuirks(VirtualMachine.QuirkFixHypercallInsn);
        // The synthetic MSRs exit to user space, where the model answers them; KVM keeps every other MSR (an unknown one
        // is a #GP, as ever). A filter works whether or not KVM has Hyper-V emulation of its own, and costs under 0.1 ms
        // here with the split irqchip (it waited 15 ms for the full irqchip's SRCU work before).
        Vm.EnableUserSpaceMsrExits(MsrExitReasons.Filter);
        Vm.SetMsrFilterDenyRange(HvMsr.RangeFirst, HvMsr.RangeLast - HvMsr.RangeFirst + 1);

        BootLayout.WriteBootStructures(Memory);
        var executable = new List<(ulong Gpa, byte[] Code)>();
        foreach (var segment in Config.Image.Segments)
        {
            Span<byte> target = Memory.GetSpan(segment.Gpa, checked((int)segment.MemorySize));
            target.Clear();
            segment.Data.CopyTo(target);
            if (segment.Executable) executable.Add((segment.Gpa, segment.Data));
        }
        DirectVmcallSites = VmcallSites.Find(executable, Config.Image.Symbols);
        if (Intercept == InterceptKind.Xen) Vm.EnableXenHypercallIntercept();
        else Breakpoints = new BreakpointSites(DirectVmcallSites);

        KvmCpuidEntry2[] supported = _kvm.GetSupportedCpuid();
        if (Intercept == InterceptKind.Xen && Config.HypercallPage == HypercallPageKind.Vmcall && XenHypercallPage.UsesVmmcall(supported))
            Hyperv.HypercallPageCode = XenHypercallPage.VmmcallCode;
        var hypervLeaves = new List<KvmCpuidEntry2>();
        foreach (CpuidLeaf leaf in Hyperv.CpuidLeaves)
            hypervLeaves.Add(new KvmCpuidEntry2 { Function = leaf.Function, Eax = leaf.Eax, Ebx = leaf.Ebx, Ecx = leaf.Ecx, Edx = leaf.Edx });
        for (int i = 0; i < Config.VcpuCount; i++)
        {
            Vcpu vcpu = Vm.CreateVcpu(i);
            vcpu.SetCpuid(CpuidTable.ForVp(supported, i, hypervLeaves.ToArray()));
            if (Config.Image.Format == GuestImageFormat.Multiboot)
            {
                BootLayout.SetMultibootState(vcpu, Memory, Config.Image.Entry, i, Config.VcpuCount, Config.MemoryBytes);
            }
            else
            {
                BootLayout.SetSpecialRegisters(vcpu);
                BootLayout.SetGeneralRegisters(vcpu, Config.Image.Entry, i, Config.VcpuCount, Config.MemoryBytes);
            }
            // With an in-kernel LAPIC, application processors wait for SIPI; guest-abi.md starts all VPs at once.
            vcpu.SetMpState(0 /* KVM_MP_STATE_RUNNABLE */);
            _runners[i] = new VcpuRunner(this, vcpu, i);
        }
    }

    /// <summary>Runs every VP until the guest exits, faults, halts for good, the timeout expires or
    /// <paramref name="cancellation"/> fires. Returns the verdict; a machine runs once.</summary>
    public RunResult Run(CancellationToken cancellation = default) => RunTogether([this], cancellation);

    /// <summary>Runs several machines (partitions) as one run: they share the clock, the timeout of the first, and the
    /// verdict (the first exit-port write, fault or timeout in any of them ends all). A connection in one partition may
    /// target a port owned by another (<see cref="Partition.AddConnection"/>).</summary>
    public static RunResult RunTogether(IReadOnlyList<Machine> machines, CancellationToken cancellation = default)
    {
        if (machines.Count == 0) throw new ArgumentException("no machines to run", nameof(machines));
        var control = new RunControl(machines[0].Config.Timeout);
        foreach (Machine machine in machines)
        {
            if (machine._control.Started) throw new InvalidOperationException("a machine runs once");
            machine._control = control;
            control.Machines.Add(machine);
            control.Runners.AddRange(machine._runners);
        }
        control.Started = true;
        control.Clock.Start();
        using (cancellation.Register(() => control.Stop(RunOutcome.Cancelled, null, "cancelled")))
        {
            foreach (var runner in control.Runners) runner.Start();
            control.Watch();
            // Stop kicked every VP once; kick again while one has not come back, so that a kick that landed between
            // two checks of a VP's loop cannot leave the run waiting here forever.
            foreach (var runner in control.Runners)
                while (!runner.Join(TimeSpan.FromMilliseconds(100))) runner.Kick();
        }
        control.Clock.Stop();
        return BuildResult(control);
    }

    private static RunResult BuildResult(RunControl control)
    {
        var console = new System.Text.StringBuilder();
        var registers = new List<RegisterSnapshot>();
        foreach (Machine machine in control.Machines)
        {
            machine.Console.Flush();
            if (control.Machines.Count > 1) console.Append($"--- partition {machine.Config.PartitionId} ---\n");
            console.Append(machine.Console.Text);
            foreach (var runner in machine._runners)
                if (runner.FinalRegisters is not null) registers.Add(runner.FinalRegisters);
        }
        var statistics = RunStatistics.Collect(control.Machines, control.Runners);
        RunControl.Verdict verdict = control.Result!;
        Machine first = control.Machines[0];
        var result = new RunResult(verdict.Outcome, verdict.ExitCode, verdict.Reason, console.ToString(), registers, statistics,
            control.Clock.Elapsed, GuestResults.TryRead(first.Memory, first.Config.Image.Symbols));
        return GuestReports.Complete(result, control.Machines); // a guest's fault or assertion record explains the exit
    }

    /// <summary>Ends the run with the first verdict given; later ones are ignored. Kicks every VP.</summary>
    internal void Stop(RunOutcome outcome, uint? exitCode, string reason) => _control.Stop(outcome, exitCode, reason);

    internal IEnumerable<VcpuRunner> Runners => _runners;

    /// <summary>The registers VP <paramref name="vpIndex"/> had when it wrote a non-zero exit code, if it did.</summary>
    internal RegisterSnapshot? ExitPortRegisters(int vpIndex) =>
        vpIndex >= 0 && vpIndex < _runners.Length ? _runners[vpIndex].ExitPortRegisters : null;

    private string VpName(int vpIndex) => _control.Machines.Count > 1 ? $"P{Config.PartitionId} VP{vpIndex}" : $"VP{vpIndex}";

    private void OnGuestExit(int vpIndex, uint code)
    {
        if (code == 0)
        {
            Stop(RunOutcome.Pass, 0, $"{VpName(vpIndex)} wrote 0 to the exit port");
            return;
        }
        _runners[vpIndex].CaptureExitPortRegisters(); // before Stop: a failed check's report shows them
        Stop(RunOutcome.GuestFailed, code, $"guest exit code {code} ({VpName(vpIndex)})");
    }

    private void TraceSint(int vpIndex, byte vector) =>
        Config.Trace!.Record(new TraceEvent(ElapsedTicks, Config.PartitionId, vpIndex, TraceEventKind.Sint, VcpuExitReason.Unknown, vector, 0, 0, 0));

    /// <summary>Instruction text and symbol at <paramref name="rip"/> for reports.</summary>
    internal (string Instruction, string? Symbol) Describe(ulong rip, int bitness = 64)
    {
        var (code, symbol) = CodeAndSymbolAt(rip);
        return (Disassembler.FormatOne(code, rip, bitness), symbol);
    }

    /// <summary>The bytes of the longest instruction that could start at <paramref name="rip"/> (fewer at the end of
    /// RAM, none outside it) and the symbol that names the address.</summary>
    internal (byte[] Code, string? Symbol) CodeAndSymbolAt(ulong rip)
    {
        const int LongestInstruction = 15;
        int available = Memory.Contains(rip, 1) ? (int)Math.Min(LongestInstruction, Memory.Size - rip) : 0;
        byte[] code = available > 0 ? Memory.GetSpan(rip, available).ToArray() : [];
        string? symbol = Config.Image.Symbols.TryFind(rip, out string? name, out ulong offset)
            ? offset == 0 ? name : $"{name}+0x{offset:x}" : null;
        return (code, symbol);
    }

    /// <summary>Stops the run if needed, waits for the VP threads and closes every fd and mapping.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (_control.Started) Stop(RunOutcome.Cancelled, null, "machine disposed");
        bool allJoined = true;
        foreach (var runner in _runners)
            if (runner is not null && !runner.Join(TimeSpan.FromSeconds(5))) allJoined = false;
        // A thread still inside KVM_RUN would touch freed memory: leak rather than crash.
        if (allJoined) Vm.Dispose();
        if (_ownsKvm) _kvm.Dispose();
        _control.Dispose();
    }
}

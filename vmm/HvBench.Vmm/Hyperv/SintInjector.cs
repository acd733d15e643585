using HvBench.Hyperv;
using HvBench.Kvm;

namespace HvBench.Vmm.Hyperv;

/// <summary>Raises the model's SINTs on the in-kernel LAPICs with <c>KVM_SIGNAL_MSI</c> (APIC id = VP index), from
/// whichever thread ran the hypercall or MSR write, also while the target VP is halted (design.md "SINT delivery").
/// Auto-EOI vectors are handed to <see cref="AutoEoi"/>, which clears their ISR bit once the target took them.</summary>
internal sealed class SintInjector(VirtualMachine vm, AutoEoi autoEoiVectors, Action<int, byte>? onSint) : ISintSink
{
    private long _delivered;
    private long _notDelivered;

    /// <summary>MSIs KVM accepted.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>MSIs KVM did not deliver (e.g. the target's LAPIC is software-disabled): the interrupt is lost, as on hardware.</summary>
    public long NotDelivered => Interlocked.Read(ref _notDelivered);

    public void AssertSint(int vpIndex, byte vector, bool autoEoi)
    {
        onSint?.Invoke(vpIndex, vector);
        autoEoiVectors.Gate.EnterInjection(vpIndex);
        bool accepted;
        try
        {
            accepted = vm.SignalMsi((uint)vpIndex, vector);
        }
        finally
        {
            autoEoiVectors.Gate.ExitInjection(vpIndex);
        }
        if (accepted) Interlocked.Increment(ref _delivered);
        else Interlocked.Increment(ref _notDelivered);
        if (autoEoi) autoEoiVectors.Injected(vpIndex, vector);
    }
}

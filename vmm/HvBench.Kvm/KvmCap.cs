namespace HvBench.Kvm;

/// <summary>The <c>KVM_CAP_*</c> numbers HvBench asks about (linux/kvm.h).</summary>
public enum KvmCap
{
    Irqchip = 0,
    NrVcpus = 9,
    SetGuestDebug = 23,
    XenHvm = 38,
    Hyperv = 44,
    TscControl = 60,
    GetTscKhz = 61,
    MaxVcpus = 66,
    SyncRegs = 74,
    SignalMsi = 77,
    SplitIrqchip = 121,
    HypervSynic = 123,
    ImmediateExit = 136,
    X86DisableExits = 143,
    X86UserSpaceMsr = 188,
    X86MsrFilter = 189,
    BinaryStatsFd = 203,
    DisableQuirks2 = 213,
}

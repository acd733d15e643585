namespace HvBench.Kvm;

/// <summary>The <c>KVM_CAP_*</c> numbers HvBench asks about (linux/kvm.h).</summary>
public enum KvmCap
{
    Irqchip = 0,
    UserMemory = 3,
    NrVcpus = 9,
    SetGuestDebug = 23,
    Irqfd = 32,
    Ioeventfd = 36,
    XenHvm = 38,
    Hyperv = 44,
    TscControl = 60,
    GetTscKhz = 61,
    MaxVcpus = 66,
    SyncRegs = 74,
    SignalMsi = 77,
    ReadonlyMem = 81,
    SplitIrqchip = 121,
    HypervSynic = 123,
    ImmediateExit = 136,
    X86DisableExits = 143,
    HypervVpIndex = 149,
    HypervEventfd = 154,
    HypervCpuid = 167,
    X86UserSpaceMsr = 188,
    X86MsrFilter = 189,
    ExitHypercall = 201,
    BinaryStatsFd = 203,
    DisableQuirks2 = 213,
}

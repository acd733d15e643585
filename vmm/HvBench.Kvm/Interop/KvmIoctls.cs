using System.Runtime.CompilerServices;

namespace HvBench.Kvm.Interop;

/// <summary>Every KVM request number, derived from direction, number and struct size as <c>_IOC</c> does,
/// so that a struct that drifts changes its request number and the ABI tests catch it.</summary>
public static class KvmIoctls
{
    private const uint KvmIo = 0xAE;

    private static int Ioc(uint direction, uint number, int size) =>
        unchecked((int)((direction << 30) | ((uint)size << 16) | (KvmIo << 8) | number));

    private static int None(uint number) => Ioc(0, number, 0);
    private static int Write<T>(uint number) where T : unmanaged => Ioc(1, number, Unsafe.SizeOf<T>());
    private static int Read<T>(uint number) where T : unmanaged => Ioc(2, number, Unsafe.SizeOf<T>());
    private static int ReadWrite<T>(uint number) where T : unmanaged => Ioc(3, number, Unsafe.SizeOf<T>());

    // System (/dev/kvm).
    public static readonly int GetApiVersion = None(0x00);
    public static readonly int CreateVm = None(0x01);
    public static readonly int CheckExtension = None(0x03);
    public static readonly int GetVcpuMmapSize = None(0x04);
    public static readonly int GetSupportedCpuid = ReadWrite<KvmCpuid2>(0x05);

    // VM.
    public static readonly int CreateVcpu = None(0x41);
    public static readonly int SetUserMemoryRegion = Write<KvmUserspaceMemoryRegion>(0x46);
    public static readonly int SetTssAddr = None(0x47);
    public static readonly int SetIdentityMapAddr = Write<ulong>(0x48);
    public static readonly int CreateIrqchip = None(0x60);
    public static readonly int XenHvmConfig = Write<KvmXenHvmConfig>(0x7A);
    public static readonly int EnableCap = Write<KvmEnableCap>(0xA3);
    public static readonly int SignalMsi = Write<KvmMsi>(0xA5);
    public static readonly int X86SetMsrFilter = Write<KvmMsrFilter>(0xC6);

    // vCPU.
    public static readonly int Run = None(0x80);
    public static readonly int GetRegs = Read<KvmRegs>(0x81);
    public static readonly int SetRegs = Write<KvmRegs>(0x82);
    public static readonly int GetSregs = Read<KvmSregs>(0x83);
    public static readonly int SetSregs = Write<KvmSregs>(0x84);
    public static readonly int Interrupt = Write<KvmInterrupt>(0x86);
    public static readonly int GetMsrs = ReadWrite<KvmMsrs>(0x88);
    public static readonly int SetMsrs = Write<KvmMsrs>(0x89);
    public static readonly int GetLapic = Read<KvmLapicState>(0x8E);
    public static readonly int SetLapic = Write<KvmLapicState>(0x8F);
    public static readonly int SetCpuid2 = Write<KvmCpuid2>(0x90);
    public static readonly int GetMpState = Read<KvmMpState>(0x98);
    public static readonly int SetMpState = Write<KvmMpState>(0x99);
    public static readonly int SetGuestDebug = Write<KvmGuestDebug>(0x9B);
    public static readonly int GetVcpuEvents = Read<KvmVcpuEvents>(0x9F);
    public static readonly int SetVcpuEvents = Write<KvmVcpuEvents>(0xA0);
    public static readonly int GetTscKhz = None(0xA3);
    public static readonly int GetStatsFd = None(0xCE);
}

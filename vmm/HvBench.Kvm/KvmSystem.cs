using HvBench.Kvm.Interop;
using static Tmds.Linux.LibC;

namespace HvBench.Kvm;

/// <summary>An open <c>/dev/kvm</c>: API version, capabilities, supported CPUID, and the factory for VMs.</summary>
public sealed unsafe class KvmSystem : IDisposable
{
    /// <summary>The only KVM API version there has ever been (KVM_API_VERSION).</summary>
    public const int ExpectedApiVersion = 12;

    private readonly KvmFd _fd;

    private KvmSystem(KvmFd fd, int apiVersion, int vcpuMmapSize)
    {
        _fd = fd;
        ApiVersion = apiVersion;
        VcpuMmapSize = vcpuMmapSize;
    }

    /// <summary>Opens <paramref name="path"/> and checks the API version.</summary>
    public static KvmSystem Open(string path = "/dev/kvm")
    {
        var fd = new KvmFd(Sys.Open(path, O_RDWR | O_CLOEXEC));
        try
        {
            int version = Sys.Ioctl(fd.Value, KvmIoctls.GetApiVersion, null, "KVM_GET_API_VERSION");
            if (version != ExpectedApiVersion)
                throw new KvmException("KVM_GET_API_VERSION", $"returned {version}, expected {ExpectedApiVersion}");
            int mmapSize = Sys.Ioctl(fd.Value, KvmIoctls.GetVcpuMmapSize, null, "KVM_GET_VCPU_MMAP_SIZE");
            return new KvmSystem(fd, version, mmapSize);
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    /// <summary>The KVM API version (12).</summary>
    public int ApiVersion { get; }

    /// <summary>Size in bytes of each vCPU's kvm_run mapping (KVM_GET_VCPU_MMAP_SIZE).</summary>
    public int VcpuMmapSize { get; }

    /// <summary>KVM_CHECK_EXTENSION on the system fd: 0 when absent, else the capability's value.</summary>
    public int CheckExtension(KvmCap cap)
    {
        int result = Sys.TryIoctl(_fd.Value, KvmIoctls.CheckExtension, (void*)(int)cap);
        return result < 0 ? 0 : result;
    }

    /// <summary>KVM_GET_SUPPORTED_CPUID: the CPUID leaves this host can give a guest.</summary>
    public KvmCpuidEntry2[] GetSupportedCpuid()
    {
        const int MaxEntries = 256;
        int size = sizeof(KvmCpuid2) + MaxEntries * sizeof(KvmCpuidEntry2);
        byte* buffer = stackalloc byte[size];
        new Span<byte>(buffer, size).Clear();
        ((KvmCpuid2*)buffer)->Nent = MaxEntries;
        Sys.Ioctl(_fd.Value, KvmIoctls.GetSupportedCpuid, buffer, "KVM_GET_SUPPORTED_CPUID");
        var entries = new KvmCpuidEntry2[((KvmCpuid2*)buffer)->Nent];
        new ReadOnlySpan<KvmCpuidEntry2>(buffer + sizeof(KvmCpuid2), entries.Length).CopyTo(entries);
        return entries;
    }

    /// <summary>KVM_CREATE_VM: a new, empty virtual machine.</summary>
    public VirtualMachine CreateVm()
    {
        int vmFd = Sys.Ioctl(_fd.Value, KvmIoctls.CreateVm, null, "KVM_CREATE_VM");
        return new VirtualMachine(this, new KvmFd(vmFd));
    }

    /// <inheritdoc/>
    public void Dispose() => _fd.Dispose();
}

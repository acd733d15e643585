using System.Runtime.InteropServices;
using HvBench.Kvm.Interop;

namespace HvBench.Kvm;

/// <summary>A <c>kvm_run</c> page in ordinary memory, not mapped from a vCPU: lets benchmarks and tests decode exits
/// (<see cref="VcpuExit"/>) exactly as <see cref="Vcpu.Run"/> returns them, without KVM.</summary>
public sealed unsafe class DetachedRunPage : IDisposable
{
    /// <summary>The page size (KVM's run mapping is at least this; the exit union and I/O data fit in it).</summary>
    public const int Size = 4096;

    /// <summary>Where <see cref="SetIoExit"/> puts the I/O data. KVM puts it at <c>data_offset</c> inside its mapping
    /// (usually the page after kvm_run); here it lies in this page, past the exit union.</summary>
    public const int IoDataOffset = 0x400;

    private byte* _page;

    /// <summary>Allocates a zeroed, page-aligned page.</summary>
    public DetachedRunPage()
    {
        // Safe: a fresh allocation of Size bytes, freed once in Dispose.
        _page = (byte*)NativeMemory.AlignedAlloc(Size, Size);
        NativeMemory.Clear(_page, Size);
    }

    /// <summary>The exit as <see cref="Vcpu.Run"/> would return it for this page's contents.</summary>
    public VcpuExit Exit
    {
        get
        {
            ObjectDisposedException.ThrowIf(_page == null, this);
            return new VcpuExit(_page, (VcpuExitReason)((KvmRunHeader*)_page)->ExitReason);
        }
    }

    /// <summary>Sets the exit reason; fill the reason's fields through <see cref="Exit"/> (<c>Exit.Msr.Index = …</c>).</summary>
    public void SetExitReason(VcpuExitReason reason)
    {
        ObjectDisposedException.ThrowIf(_page == null, this);
        ((KvmRunHeader*)_page)->ExitReason = (uint)reason;
    }

    /// <summary>Makes the page a KVM_EXIT_IO of <paramref name="size"/> bytes at <paramref name="port"/>
    /// (<paramref name="isOut"/>: KVM_EXIT_IO_OUT) with its data at <see cref="IoDataOffset"/>.</summary>
    public void SetIoExit(ushort port, bool isOut, byte size, uint count = 1)
    {
        SetExitReason(VcpuExitReason.Io);
        ref KvmRunIo io = ref Exit.Io;
        io.Direction = isOut ? (byte)1 : (byte)0;
        io.Size = size;
        io.Port = port;
        io.Count = count;
        io.DataOffset = IoDataOffset;
    }

    /// <summary>Frees the page.</summary>
    public void Dispose()
    {
        if (_page == null) return;
        NativeMemory.AlignedFree(_page);
        _page = null;
    }
}

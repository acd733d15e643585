using System.Runtime.InteropServices;

namespace HvBench.Kvm.Interop;

// Blittable mirrors of the kernel structs in <linux/kvm.h> and <asm/kvm.h>. Names keep the kernel's
// words so that a grep of kvm.h finds them; sizes and offsets are pinned by tests (KvmAbiTests).

/// <summary><c>struct kvm_regs</c> (144 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmRegs
{
    public ulong Rax, Rbx, Rcx, Rdx, Rsi, Rdi, Rsp, Rbp;
    public ulong R8, R9, R10, R11, R12, R13, R14, R15;
    public ulong Rip, Rflags;
}

/// <summary><c>struct kvm_segment</c> (24 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmSegment
{
    public ulong Base;
    public uint Limit;
    public ushort Selector;
    public byte Type, Present, Dpl, Db, S, L, G, Avl, Unusable, Padding;
}

/// <summary><c>struct kvm_dtable</c> (16 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmDtable
{
    public ulong Base;
    public ushort Limit;
    public ushort Padding0, Padding1, Padding2;
}

/// <summary><c>struct kvm_sregs</c> (312 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct KvmSregs
{
    public KvmSegment Cs, Ds, Es, Fs, Gs, Ss, Tr, Ldt;
    public KvmDtable Gdt, Idt;
    public ulong Cr0, Cr2, Cr3, Cr4, Cr8, Efer, ApicBase;
    public fixed ulong InterruptBitmap[4];
}

/// <summary><c>struct kvm_vcpu_events</c> (64 bytes); carried opaquely in sync_regs.</summary>
[StructLayout(LayoutKind.Sequential, Size = 64)]
public struct KvmVcpuEvents
{
    public byte ExceptionInjected, ExceptionNr, ExceptionHasErrorCode, ExceptionPending;
    public uint ExceptionErrorCode;
}

/// <summary><c>struct kvm_sync_regs</c> (520 bytes), the <c>s.regs</c> area of kvm_run.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmSyncRegs
{
    public KvmRegs Regs;
    public KvmSregs Sregs;
    public KvmVcpuEvents Events;
}

/// <summary><c>struct kvm_userspace_memory_region</c> (32 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmUserspaceMemoryRegion
{
    public uint Slot, Flags;
    public ulong GuestPhysAddr, MemorySize, UserspaceAddr;
}

/// <summary><c>struct kvm_guest_debug</c> (72 bytes) with <c>struct kvm_guest_debug_arch</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct KvmGuestDebug
{
    public uint Control, Pad;
    public fixed ulong Debugreg[8];
}

/// <summary><c>struct kvm_msi</c> (32 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct KvmMsi
{
    public uint AddressLo, AddressHi, Data, Flags, Devid;
    public fixed byte Pad[12];
}

/// <summary><c>struct kvm_msr_filter_range</c> (24 bytes); the bitmap pointer is a user address.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmMsrFilterRange
{
    public uint Flags, Nmsrs, Base, Pad;
    public ulong Bitmap;
}

/// <summary><c>struct kvm_msr_filter</c> (392 bytes, 16 ranges).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmMsrFilter
{
    public uint Flags, Pad;
    public MsrFilterRanges Ranges;

    /// <summary>The kernel's fixed array of <c>KVM_MSR_FILTER_MAX_RANGES</c> (16) ranges.</summary>
    [System.Runtime.CompilerServices.InlineArray(16)]
    public struct MsrFilterRanges
    {
        private KvmMsrFilterRange _element0;
    }
}

/// <summary><c>struct kvm_cpuid_entry2</c> (40 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct KvmCpuidEntry2
{
    public uint Function, Index, Flags, Eax, Ebx, Ecx, Edx;
    public fixed uint Padding[3];
}

/// <summary><c>struct kvm_cpuid2</c> header (8 bytes); entries follow it.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmCpuid2
{
    public uint Nent, Padding;
}

/// <summary><c>struct kvm_msrs</c> header (8 bytes); entries follow it.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmMsrs
{
    public uint Nmsrs, Pad;
}

/// <summary><c>struct kvm_msr_entry</c> (16 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmMsrEntry
{
    public uint Index, Reserved;
    public ulong Data;
}

/// <summary><c>struct kvm_enable_cap</c> (104 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct KvmEnableCap
{
    public uint Cap, Flags;
    public fixed ulong Args[4];
    public fixed byte Pad[64];
}

/// <summary><c>struct kvm_mp_state</c> (4 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmMpState
{
    public uint MpState;
}

/// <summary><c>struct kvm_lapic_state</c> (1024 bytes): the xAPIC register page as the kernel keeps it.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct KvmLapicState
{
    public fixed byte Regs[1024];
}

/// <summary><c>struct kvm_xen_hvm_config</c> (56 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct KvmXenHvmConfig
{
    public uint Flags, Msr;
    public ulong BlobAddr32, BlobAddr64;
    public byte BlobSize32, BlobSize64;
    public fixed byte Pad2[30];
}

/// <summary><c>struct kvm_interrupt</c> (4 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmInterrupt
{
    public uint Irq;
}

/// <summary>The fixed head of <c>struct kvm_run</c> (the first 32 bytes, before the exit union).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmRunHeader
{
    public byte RequestInterruptWindow, ImmediateExit;
    public byte Padding1_0, Padding1_1, Padding1_2, Padding1_3, Padding1_4, Padding1_5;
    public uint ExitReason;
    public byte ReadyForInterruptInjection, IfFlag;
    public ushort Flags;
    public ulong Cr8, ApicBase;
}

/// <summary>The <c>io</c> member of kvm_run's exit union.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmRunIo
{
    public byte Direction, Size;
    public ushort Port;
    public uint Count;
    public ulong DataOffset;
}

/// <summary>The <c>mmio</c> member of kvm_run's exit union.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct KvmRunMmio
{
    public ulong PhysAddr;
    public fixed byte Data[8];
    public uint Len;
    public byte IsWrite;
}

/// <summary>The <c>msr</c> member of kvm_run's exit union (KVM_EXIT_X86_RDMSR / WRMSR).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct KvmRunMsr
{
    public byte Error;
    public fixed byte Pad[7];
    public uint Reason, Index;
    public ulong Data;
}

/// <summary><c>struct kvm_debug_exit_arch</c>, the <c>debug</c> member of kvm_run's exit union.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmDebugExitArch
{
    public uint Exception, Pad;
    public ulong Pc, Dr6, Dr7;
}

/// <summary>The <c>internal</c> member of kvm_run's exit union.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct KvmRunInternal
{
    public uint Suberror, Ndata;
    public fixed ulong Data[16];
}

/// <summary>The <c>fail_entry</c> member of kvm_run's exit union.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmRunFailEntry
{
    public ulong HardwareEntryFailureReason;
    public uint Cpu;
}

/// <summary>The <c>system_event</c> member of kvm_run's exit union.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmRunSystemEvent
{
    public uint Type, Ndata;
    public ulong Data0;
}

/// <summary><c>struct kvm_xen_exit</c> with its <c>hcall</c> member (KVM_EXIT_XEN_HCALL); the union holds 64-bit
/// members, so it starts at offset 8, after padding.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct KvmXenExit
{
    /// <summary>KVM_EXIT_XEN_HCALL: the only type with a hypercall in it.</summary>
    public const uint TypeHypercall = 1;

    public uint Type, Pad, Longmode, Cpl;
    public ulong Input, Result;
    public fixed ulong Params[6];
}

using HvBench.Guest;
using HvBench.Guest.Runtime;
using HvBench.Vmm.Tests.Guest;
using HvBench.Vmm.Tests.Machines;
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Vmm.Tests.Hyperv;

/// <summary>guest-abi.md and the TLFS ("Legal Hypercall Environments"): a hypercall is legal only at CPL 0, and a VMCALL
/// at CPL 3 is a #UD. VP0 makes its first 4 MiB user-accessible, loads a GDT with ring-3 segments and a TSS (so the
/// #UD handler gets a ring-0 stack), drops to CPL 3 with IRETQ and executes a VMCALL that is a direct site, so the
/// breakpoint intercept does see it. Were it taken as a hypercall, the guest would go on to an OUT at CPL 3 and fault
/// there with #GP instead.</summary>
[TestFixture, Category("Kvm")]
public sealed class AVmcallAtCpl3
{
    // 0x08 and 0x10 stay where guest-abi.md and the runtime put the ring-0 selectors.
    private const ushort UserData = 0x18 | 3, UserCode = 0x20 | 3, TaskState = 0x28;
    private const int TssSize = 104;

    [Test, CancelAfter(30_000)]
    public void IsAnInvalidOpcodeInTheGuestNotAHypercall(CancellationToken token)
    {
        byte[] image = Build();
        RunResult result = GuestRun.Boot(image, vcpus: 1, token: token);
        ulong vmcall = FaultReports.AddressOf(image, "user_mode_vmcall");
        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.GuestFault), result.Verdict);
        Assert.That(result.Fault, Is.Not.Null, result.Verdict);
        Assert.That(result.Fault!.Vector, Is.EqualTo(6UL), result.Reason);
        Assert.That(result.Fault.Registers.Rip, Is.EqualTo(vmcall), "the #UD points at the VMCALL");
        Assert.That(result.Fault.Cs & 3, Is.EqualTo(3UL), "raised at CPL 3");
        Assert.That(result.Reason, Does.Contain("#UD").And.Contain("vmcall"));
        Assert.That(result.Statistics.Hypercalls, Is.Zero, "the model never saw a call");
    }

    private static byte[] Build()
    {
        var guest = new HypervGuest(maxVps: 1);
        var g = guest.Builder;
        var a = guest.Asm;
        ulong tss = g.Allocate("tss", TssSize, 16);
        ulong gdt = g.Allocate("user_gdt", 7 * 8, 16);
        ulong gdtr = g.Allocate("user_gdtr", 16, 16);
        ulong userStack = g.Allocate("user_stack", 4096, 16);
        guest.OnVp(0, () =>
        {
            // Identified, so that the VMCALL's only fault is its privilege level (AVmcallBeforeTheGuestOsId).
            Msr.EmitWrite(a, Synic.GuestOsIdMsr, Synic.GuestOsId);

            // The identity map of guest-abi.md is supervisor-only: set U/S on the entries that map 0..4 MiB (code at
            // 1 MiB, data at 2 MiB) at every level, then reload CR3.
            a.mov(rax, cr3);
            a.mov(rcx, 0x000F_FFFF_FFFF_F000UL);
            a.and(rax, rcx);
            a.or(__qword_ptr[rax], 4);
            a.mov(rbx, __qword_ptr[rax]);
            a.and(rbx, rcx);
            a.or(__qword_ptr[rbx], 4);
            a.mov(rdx, __qword_ptr[rbx]);
            a.and(rdx, rcx);
            a.or(__qword_ptr[rdx], 4);
            a.or(__qword_ptr[rdx + 8], 4);
            a.mov(rax, cr3);
            a.mov(cr3, rax);

            // TSS: RSP0 = a ring-0 stack below the current one; no I/O bitmap.
            a.lea(rax, __[rsp - 0x800]);
            a.mov(rdx, tss);
            a.mov(__qword_ptr[rdx + 4], rax);
            a.mov(__word_ptr[rdx + 102], TssSize);

            ulong[] descriptors =
            [
                0,
                0x00AF9B000000FFFF,                 // 0x08: 64-bit code, DPL 0
                0x00CF93000000FFFF,                 // 0x10: flat data, DPL 0
                0x00CFF3000000FFFF,                 // 0x18: flat data, DPL 3
                0x00AFFB000000FFFF,                 // 0x20: 64-bit code, DPL 3
                TssLow(tss), tss >> 32,             // 0x28: available 64-bit TSS (16 bytes)
            ];
            a.mov(rdx, gdt);
            for (int i = 0; i < descriptors.Length; i++)
            {
                a.mov(rax, descriptors[i]);
                a.mov(__qword_ptr[rdx + i * 8], rax);
            }
            a.mov(rdx, gdtr);
            a.mov(__word_ptr[rdx], 7 * 8 - 1);
            a.mov(rax, gdt);
            a.mov(__qword_ptr[rdx + 2], rax);
            a.lgdt(__[rdx]);
            a.mov(ax, TaskState);
            a.ltr(ax);

            // IRETQ to ring 3: SS, RSP, RFLAGS, CS, RIP.
            var userMode = g.Function("user_mode");
            a.push(UserData);
            a.mov(rax, userStack + 4096);
            a.push(rax);
            a.push(0x2);
            a.push(UserCode);
            a.lea(rax, __[userMode]);
            a.push(rax);
            a.iretq();

            g.Bind(ref userMode);
            a.mov(ax, UserData);
            a.mov(ds, ax);
            a.mov(ecx, 0x5D);
            var vmcall = g.Function("user_mode_vmcall");
            g.Bind(ref vmcall);
            a.vmcall();
            a.mov(al, 0);
            a.@out(0xF4, al);                       // #GP at CPL 3: reached only if the VMCALL were a hypercall
            a.jmp(vmcall);
        });
        return guest.Build();
    }

    private static ulong TssLow(ulong baseAddress) =>
        (TssSize - 1) | ((baseAddress & 0xFFFFFF) << 16) | (0x89UL << 40) | (((baseAddress >> 24) & 0xFF) << 56);
}

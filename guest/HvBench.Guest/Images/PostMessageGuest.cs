using HvBench.Guest.Runtime;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Guest.Images;

/// <summary>post-message: VP0 posts three messages to VP1 (connection 8 → message port 2 on VP1, SINT3) while VP1 keeps
/// interrupts off, so the first waits in the SIM slot and the other two queue behind it with MessagePending set. VP1
/// then enables interrupts; its SINT3 handler copies each message, frees the slot, EOIs and writes EOM when
/// MessagePending was set, which makes the VMM deliver the next one. VP0 checks all three arrived, in order.</summary>
public static class PostMessageGuest
{
    /// <summary>The SINT vector VP1 uses for SINT3.</summary>
    public const byte SintVector = 0x52;
    /// <summary>The connection the scenario defines (→ message port 2 on VP1, SINT3).</summary>
    public const uint ConnectionId = 8;
    /// <summary>The message type posted (guest message types have the high bit clear and are non-zero).</summary>
    public const uint MessageType = 0x42;
    private const int Messages = 3;

    /// <summary>Builds the image.</summary>
    public static byte[] Build()
    {
        var g = new GuestBuilder();
        var a = g.Asm;
        var console = new GuestConsole(g);
        var checks = new Assertions(g, console);
        var synic = new Synic(g, maxVps: 2);
        var hv = new Hypercalls(g, synic);
        var sync = new Sync(g);
        var idt = new Idt(g);
        ulong input = g.Allocate("post_input", 256, 256);
        ulong ready = g.Allocate("vp1_ready", 8);
        ulong go = g.Allocate("vp1_go", 8);
        ulong received = g.Allocate("messages_received", 8);
        ulong pendingSeen = g.Allocate("pending_seen", 8);
        ulong payloads = g.Allocate("payloads", 8 * Messages);

        var start = g.Function("_start");
        var vp1 = g.Function("vp1_receiver");
        var handler = g.Function("sint3_message_handler");
        idt.SetHandler(SintVector, handler);

        g.Bind(ref start);
        a.mov(r12, rdi);
        a.test(r12, r12);
        a.jnz(vp1);

        // VP0: three posts while VP1 cannot take the interrupt.
        synic.EmitEnableHypercallPage();
        sync.EmitWaitAtLeast(ready, 1);
        a.mov(rbx, input);
        a.mov(__dword_ptr[rbx], ConnectionId);
        a.mov(__dword_ptr[rbx + 8], MessageType);
        a.mov(__dword_ptr[rbx + 12], 8);                // PayloadSize
        for (int i = 0; i < Messages; i++)
        {
            a.mov(rax, 0x1111UL * (ulong)(i + 1));
            a.mov(__qword_ptr[rbx + 16], rax);          // payload
            hv.EmitPostMessage(Convention.Tlfs, input);
            a.test(ax, ax);
            a.jnz(checks.Failure($"HvPostMessage {i + 1} did not return HV_STATUS_SUCCESS"));
            a.mov(rbx, input);
        }
        console.Print("VP0: posted 3 messages; the first is in VP1's SIM slot, two are queued\n");
        a.mov(rax, go);
        a.mov(__qword_ptr[rax], 1);
        sync.EmitWaitAtLeast(received, Messages);
        for (int i = 0; i < Messages; i++)
        {
            a.mov(rax, payloads + 8 * (ulong)i);
            a.mov(rdx, 0x1111UL * (ulong)(i + 1));
            a.cmp(__qword_ptr[rax], rdx);
            a.jne(checks.Failure($"message {i + 1} did not arrive in posting order"));
        }
        a.mov(rax, pendingSeen);
        a.cmp(__qword_ptr[rax], 2);
        a.jne(checks.Failure("MessagePending was not set on the two messages that had others queued behind them"));
        console.Print("VP1: received 3 messages in order, MessagePending set twice, EOM redelivered\n");
        Exit.EmitExit(a, 0);

        // VP1: SIM page and SINT3, then wait (interrupts off) until VP0 has posted everything.
        g.Bind(ref vp1);
        idt.EmitLoad();
        Lapic.EmitEnable(a);
        synic.EmitEnable(r12);
        synic.EmitSetSint(3, SintVector);
        a.mov(rax, ready);
        a.mov(__qword_ptr[rax], 1);
        sync.EmitWaitAtLeast(go, 1);
        Exit.EmitIdleForever(g, "vp1_idle");

        // SINT3: copy the payload, free the slot, EOI, then EOM if more messages wait (TLFS "Messages", step 3).
        g.Bind(ref handler);
        a.push(rax);
        a.push(rbx);
        a.push(rcx);
        a.push(rdx);
        a.mov(rbx, synic.SimSlot(1, 3));
        a.mov(rax, received);
        a.mov(rcx, __qword_ptr[rax]);
        a.mov(rdx, __qword_ptr[rbx + 16]);
        a.mov(rax, payloads);
        a.mov(__qword_ptr[rax + rcx * 8], rdx);
        a.mov(rax, received);
        a.inc(__qword_ptr[rax]);
        a.movzx(ecx, __byte_ptr[rbx + 5]);              // MessageFlags: bit 0 MessagePending
        a.mov(__dword_ptr[rbx], 0);                     // MessageType = None: the slot is free
        Lapic.EmitEoi(a);
        a.test(cl, 1);
        var noPending = a.CreateLabel();
        a.jz(noPending);
        a.mov(rax, pendingSeen);
        a.inc(__qword_ptr[rax]);
        Msr.EmitWrite(a, Synic.EomMsr, 0);
        a.Label(ref noPending);
        a.pop(rdx);
        a.pop(rcx);
        a.pop(rbx);
        a.pop(rax);
        a.iretq();

        checks.EmitRoutines();
        hv.EmitRoutines();
        console.EmitRoutines();
        return g.BuildElf();
    }
}

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
        var guest = new HypervGuest(maxVps: 2);
        var a = guest.Asm;
        ulong input = guest.Builder.Allocate("post_input", 256, 256);
        ulong ready = guest.Flag("vp1_ready");
        ulong go = guest.Flag("vp1_go");
        ulong received = guest.Flag("messages_received");
        ulong pendingSeen = guest.Flag("pending_seen");
        ulong payloads = guest.Builder.Allocate("payloads", 8 * Messages);

        // SINT3: copy the payload, free the slot, EOI, then EOM if more messages wait (TLFS "Messages", step 3).
        guest.OnInterrupt(SintVector, "sint3_message_handler", () =>
        {
            a.mov(rbx, guest.Synic.SimSlot(vp: 1, sint: 3));
            a.mov(rax, received);
            a.mov(rcx, __qword_ptr[rax]);
            a.mov(rdx, __qword_ptr[rbx + 16]);
            a.mov(rax, payloads);
            a.mov(__qword_ptr[rax + rcx * 8], rdx);
            a.mov(rax, received);
            a.inc(__qword_ptr[rax]);
            a.movzx(ecx, __byte_ptr[rbx + 5]);          // MessageFlags: bit 0 MessagePending
            a.mov(__dword_ptr[rbx], 0);                 // MessageType = None: the slot is free
        }, afterEoi: () =>
        {
            var noPending = a.CreateLabel();
            a.test(cl, 1);
            a.jz(noPending);
            a.mov(rax, pendingSeen);
            a.inc(__qword_ptr[rax]);
            Msr.EmitWrite(a, Synic.EomMsr, 0);
            a.Label(ref noPending);
        });

        // VP1: SIM page and SINT3, then wait (interrupts off) until VP0 has posted everything.
        guest.OnVp(1, () =>
        {
            guest.Synic.EmitEnable(guest.VpIndex);
            guest.Synic.EmitSetSint(3, SintVector);
            guest.SetFlag(ready);
            guest.WaitFlag(go);
        }, "vp1_receiver");                             // then VP1 idles with interrupts on

        // VP0: three posts while VP1 cannot take the interrupt.
        guest.OnVp(0, () =>
        {
            guest.Synic.EmitEnableHypercallPage();
            guest.WaitFlag(ready);
            for (int i = 0; i < Messages; i++)
            {
                guest.Hypercalls.EmitMessageInput(input, ConnectionId, MessageType, (ulong)Payload(i));
                guest.Hypercalls.EmitPostMessage(Convention.Tlfs, input);
                guest.Checks.IsZero(guest.HypercallStatus, $"HvPostMessage {i + 1} did not return HV_STATUS_SUCCESS");
            }
            guest.Console.Print("VP0: posted 3 messages; the first is in VP1's SIM slot, two are queued\n");
            guest.SetFlag(go);
            guest.WaitFlag(received, Messages);
            for (int i = 0; i < Messages; i++)
                guest.Checks.AreEqual(payloads + 8 * (ulong)i, Payload(i), $"message {i + 1} did not arrive in posting order");
            guest.Checks.AreEqual(pendingSeen, 2, "MessagePending was not set on the two messages that had others queued behind them");
            guest.Console.Print("VP1: received 3 messages in order, MessagePending set twice, EOM redelivered\n");
            guest.Pass();
        });
        return guest.Build();
    }

    /// <summary>The payload of message <paramref name="index"/> (0-based): 0x1111, 0x2222, 0x3333.</summary>
    private static int Payload(int index) => 0x1111 * (index + 1);
}

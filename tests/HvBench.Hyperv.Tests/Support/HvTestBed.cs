using System.Buffers.Binary;

namespace HvBench.Hyperv.Tests.Support;

/// <summary>A ready partition with a fake RAM and a recording sink, set up the way a guest would (through the MSRs).</summary>
/// <remarks>
/// Layout (1 MiB RAM, 2 VPs): SIEF pages at 0x10000 (VP0) and 0x11000 (VP1), SIM pages at 0x20000 and 0x21000,
/// slow-call input blocks at 0x40000. Both VPs: SCONTROL enabled, SINT2 vector 0x40, SINT3 vector 0x41, unmasked.
/// Event port 1 → VP1 SINT2, flags 0..63, reached through connection 7. Message port 2 → VP0 SINT3, connection 8.
/// </remarks>
internal sealed class HvTestBed
{
    public const ulong RamSize = 0x100000;
    public const ulong SiefVp0 = 0x10000;
    public const ulong SiefVp1 = 0x11000;
    public const ulong SimVp0 = 0x20000;
    public const ulong SimVp1 = 0x21000;
    public const ulong InputGpa = 0x40000;
    /// <summary>The output GPA of slow calls unless a test says otherwise: 0, what Linux passes for calls without output.</summary>
    public const ulong OutputGpa = 0;
    public const byte EventVector = 0x40;
    public const byte MessageVector = 0x41;
    public const int EventSint = 2;
    public const int MessageSint = 3;
    public const uint EventPortId = 1;
    public const uint MessagePortId = 2;
    public const uint EventConnectionId = 7;
    public const uint MessageConnectionId = 8;
    public const int EventTargetVp = 1;
    public const int MessageTargetVp = 0;
    public const ushort EventFlagCount = 64;

    public const PartitionPrivileges DefaultPrivileges = PartitionPrivileges.SignalEvents | PartitionPrivileges.PostMessages;

    public HvTestBed(HypercallConvention convention = HypercallConvention.Tlfs, int vpCount = 2, ulong partitionId = 1,
        StatusProfile profile = StatusProfile.Tlfs)
    {
        Memory = new FakeGuestMemory(RamSize);
        Sink = new RecordingSintSink();
        Partition = new Partition(partitionId, vpCount, DefaultPrivileges, convention, profile, Memory, Sink);
        for (int vp = 0; vp < vpCount; vp++)
        {
            EnableSynic(vp, SiefVp0 + ((ulong)vp * 0x1000), SimVp0 + ((ulong)vp * 0x1000));
            WriteMsrOk(vp, HvMsr.Sint0 + EventSint, EventVector);
            WriteMsrOk(vp, HvMsr.Sint0 + MessageSint, MessageVector);
        }

        Partition.AddEventPort(EventPortId, EventTargetVp, EventSint, baseFlagNumber: 0, EventFlagCount);
        Partition.AddConnection(EventConnectionId, Partition, EventPortId);
        Partition.AddMessagePort(MessagePortId, MessageTargetVp, MessageSint);
        Partition.AddConnection(MessageConnectionId, Partition, MessagePortId);
        Memory.ClearWriteLog();
    }

    public FakeGuestMemory Memory { get; }

    public RecordingSintSink Sink { get; }

    public Partition Partition { get; }

    public HypercallConvention Convention => Partition.Convention;

    public static ulong SiefOf(int vp) => SiefVp0 + ((ulong)vp * 0x1000);

    public static ulong SimOf(int vp) => SimVp0 + ((ulong)vp * 0x1000);

    public static ulong SimSlot(int vp, int sint) => SimOf(vp) + ((ulong)sint * 256);

    public void EnableSynic(int vp, ulong siefGpa, ulong simGpa)
    {
        WriteMsrOk(vp, HvMsr.Siefp, siefGpa | 1);
        WriteMsrOk(vp, HvMsr.Simp, simGpa | 1);
        WriteMsrOk(vp, HvMsr.Scontrol, 1);
    }

    public void WriteMsrOk(int vp, uint msr, ulong value) =>
        Assert.That(Partition.WriteMsr(vp, msr, value), Is.EqualTo(MsrAccess.Ok), $"set-up write of MSR 0x{msr:X}");

    public ulong ReadMsrOk(int vp, uint msr)
    {
        Assert.That(Partition.ReadMsr(vp, msr, out ulong value), Is.EqualTo(MsrAccess.Ok), $"read of MSR 0x{msr:X}");
        return value;
    }

    /// <summary>True if flag <paramref name="flag"/> of <paramref name="sint"/> is set in <paramref name="vp"/>'s SIEF page.</summary>
    public bool FlagIsSet(int vp, int sint, int flag) =>
        (Memory.Peek(SiefOf(vp) + (ulong)(sint * 256) + (ulong)(flag / 8), 1)[0] & (1 << (flag % 8))) != 0;

    /// <summary>Number of set flags in <paramref name="vp"/>'s whole SIEF page.</summary>
    public int SetFlagCount(int vp)
    {
        int count = 0;
        foreach (byte b in Memory.Peek(SiefOf(vp), 4096))
        {
            count += System.Numerics.BitOperations.PopCount(b);
        }

        return count;
    }

    /// <summary>Issues <c>HvCallSignalEvent</c> in <paramref name="form"/> with the raw 8-byte input block.</summary>
    /// <param name="form">Convention and form; must match the partition's convention.</param>
    /// <param name="block">ConnectionId | FlagNumber &lt;&lt; 32 | RsvdZ &lt;&lt; 48.</param>
    /// <param name="controlExtra">Bits ORed into the input value (reserved bits, rep count …).</param>
    /// <param name="slowGpa">Slow form: where the block is put (default <see cref="InputGpa"/>); nothing is put there if
    /// it lies outside RAM.</param>
    /// <param name="vp">Calling VP.</param>
    /// <param name="outputGpa">Slow form: the output GPA (R8).</param>
    public HypercallOutcome SignalRaw(SignalForm form, ulong block, ulong controlExtra = 0, ulong? slowGpa = null, int vp = 0, ulong outputGpa = OutputGpa)
    {
        Assert.That(form.Convention(), Is.EqualTo(Convention), "test bed convention");
        ulong code = (ulong)HypercallCode.HvCallSignalEvent | controlExtra;
        var registers = new HypercallRegisters();
        switch (form)
        {
            case SignalForm.TlfsFast:
                registers.Rcx = code | HypercallInputValue.FastBit;
                registers.Rdx = block;
                registers.R8 = 0xFFFF_FFFF_FFFF_FFFF; // unused second fast word: must be ignored
                break;
            case SignalForm.TlfsSlow:
                ulong gpa = slowGpa ?? InputGpa;
                if (gpa <= RamSize - 8)
                {
                    Memory.Poke64(gpa, block);
                }

                registers.Rcx = code;
                registers.Rdx = gpa;
                registers.R8 = outputGpa;
                break;
            case SignalForm.Rax:
            case SignalForm.RaxFastBit:
                registers.Rax = code | (form == SignalForm.RaxFastBit ? HypercallInputValue.FastBit : 0);
                registers.Rbx = (uint)block;
                registers.Rcx = block >> 32;
                break;
        }

        HypercallRegisters before = registers;
        HypercallOutcome outcome = Partition.Hypercall(vp, ref registers);
        Assert.Multiple(() =>
        {
            Assert.That(registers.Rax, Is.EqualTo((ulong)outcome.Status.Value), "RAX holds the result value");
            Assert.That(registers.Rbx, Is.EqualTo(before.Rbx), "RBX preserved");
            Assert.That(registers.Rcx, Is.EqualTo(before.Rcx), "RCX preserved");
            Assert.That(registers.Rdx, Is.EqualTo(before.Rdx), "RDX preserved");
            Assert.That(registers.R8, Is.EqualTo(before.R8), "R8 preserved");
        });
        return outcome;
    }

    /// <summary>Issues <c>HvCallSignalEvent(connectionId, flag)</c> and returns the status.</summary>
    public HvStatus Signal(SignalForm form, uint connectionId = EventConnectionId, ushort flag = 0, ulong controlExtra = 0) =>
        SignalRaw(form, HvSignalEventInput.Create(connectionId, flag).Raw, controlExtra).Status;

    /// <summary>Fast TLFS or RAX-form signal, whichever matches the partition.</summary>
    public HvStatus Signal(uint connectionId = EventConnectionId, ushort flag = 0) =>
        Signal(Convention == HypercallConvention.Tlfs ? SignalForm.TlfsFast : SignalForm.Rax, connectionId, flag);

    /// <summary>Writes an <c>HvCallPostMessage</c> block at <paramref name="gpa"/> (if inside RAM) and issues the call.</summary>
    public HypercallOutcome PostRaw(ulong gpa, uint connectionId, uint messageType, uint payloadSize, ReadOnlySpan<byte> payload,
        uint reserved = 0, ulong controlExtra = 0, int vp = 0, ulong outputGpa = OutputGpa)
    {
        byte[] block = new byte[HvPostMessageInput.Size];
        BinaryPrimitives.WriteUInt32LittleEndian(block, connectionId);
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(4), reserved);
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(8), messageType);
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(12), payloadSize);
        payload.CopyTo(block.AsSpan(16));
        if (gpa <= RamSize - HvPostMessageInput.Size)
        {
            Memory.Poke(gpa, block);
        }

        ulong code = (ulong)HypercallCode.HvCallPostMessage | controlExtra;
        var registers = new HypercallRegisters();
        if (Convention == HypercallConvention.Tlfs)
        {
            registers.Rcx = code;
            registers.Rdx = gpa;
            registers.R8 = outputGpa;
        }
        else
        {
            registers.Rax = code;
            registers.Rbx = gpa;
            registers.Rcx = outputGpa;
        }

        HypercallOutcome outcome = Partition.Hypercall(vp, ref registers);
        Assert.That(registers.Rax, Is.EqualTo((ulong)outcome.Status.Value), "RAX holds the result value");
        return outcome;
    }

    /// <summary>Posts <paramref name="payload"/> as message type <paramref name="messageType"/> through a connection.</summary>
    public HvStatus Post(uint connectionId = MessageConnectionId, uint messageType = 1, byte[]? payload = null) =>
        PostRaw(InputGpa, connectionId, messageType, (uint)(payload?.Length ?? 0), payload ?? []).Status;

    /// <summary>What the guest does after reading a message: MessageType = 0, then EOM if MessagePending was set.</summary>
    /// <returns>Whether MessagePending was set.</returns>
    public bool ConsumeMessage(int vp, int sint, bool alwaysEom = false)
    {
        ulong slot = SimSlot(vp, sint);
        ulong header = Memory.AtomicAnd64(slot, 0xFFFF_FFFF_0000_0000UL);
        bool pending = ((header >> 40) & HvMessage.MessagePendingFlag) != 0
            || ((Memory.AtomicRead64(slot) >> 40) & HvMessage.MessagePendingFlag) != 0;
        if (pending || alwaysEom)
        {
            WriteMsrOk(vp, HvMsr.Eom, 0);
        }

        return pending;
    }
}

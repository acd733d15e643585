using System.Buffers.Binary;
using HvBench.Hyperv.Tests.Support;

namespace HvBench.Hyperv.Tests.Hypercalls;

// HvPostMessage (tlfs.md sections 4 and 6.2). The test bed's message port 2 targets VP0 SINT3 (vector 0x41), through
// connection 8; VP0's SIM page is at 0x20000, so SINT3's slot is 0x20300.

[TestFixture]
[Category("Unit")]
[TestFixtureSource(typeof(Forms), nameof(Forms.AllConventions))]
public sealed class PostMessageToAnEmptySlot(HypercallConvention convention)
{
    private static readonly byte[] s_payload = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

    private HvTestBed _bed = null!;
    private HvStatus _status;

    private static ulong Slot => HvTestBed.SimSlot(HvTestBed.MessageTargetVp, HvTestBed.MessageSint);

    [SetUp]
    public void SetUp()
    {
        _bed = new HvTestBed(convention);
        _bed.Memory.Fill(Slot + 4, 252, 0xCC); // stale bytes from an earlier message
        _status = _bed.Post(messageType: 0x1234, payload: s_payload);
    }

    [Test]
    public void ReturnsSuccess() => Assert.That(_status, Is.EqualTo(HvStatus.Success));

    [Test]
    public void WritesTheHeader()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_bed.Memory.Peek32(Slot), Is.EqualTo(0x1234u), "MessageType");
            Assert.That(_bed.Memory.Peek(Slot + 4, 1)[0], Is.EqualTo((byte)s_payload.Length), "PayloadSize");
            Assert.That(_bed.Memory.Peek(Slot + 5, 1)[0], Is.Zero, "MessageFlags");
            Assert.That(_bed.Memory.Peek(Slot + 6, 2), Is.EqualTo(new byte[2]), "Reserved");
            Assert.That(_bed.Memory.Peek64(Slot + 8), Is.EqualTo((ulong)HvTestBed.MessagePortId), "port id in the origination field");
        });
    }

    [Test]
    public void WritesThePayloadAndZeroesTheRest()
    {
        byte[] expected = new byte[HvMessage.MaxPayloadSize];
        s_payload.CopyTo(expected, 0);
        Assert.That(_bed.Memory.Peek(Slot + 16, HvMessage.MaxPayloadSize), Is.EqualTo(expected));
    }

    [Test]
    public void WritesTheMessageTypeLast()
    {
        Assert.That(_bed.Memory.Writes, Is.EqualTo(new[]
        {
            new MemoryWrite(Slot + 4, 252, 0, false),
            new MemoryWrite(Slot, 4, 0, false),
        }));
    }

    [Test]
    public void AssertsTheSint() =>
        Assert.That(_bed.Sink.Assertions, Is.EqualTo(new[] { new SintAssertion(HvTestBed.MessageTargetVp, HvTestBed.MessageVector, false) }));

    [Test]
    public void HoldsNoBuffer() =>
        Assert.That(_bed.Partition.TryGetPort(HvTestBed.MessagePortId, out Port? port) ? ((MessagePort)port).QueuedMessageCount : -1, Is.Zero);
}

[TestFixture]
[Category("Unit")]
[TestFixtureSource(typeof(Forms), nameof(Forms.AllConventions))]
public sealed class PostMessageWithAFullPayload(HypercallConvention convention)
{
    [Test]
    public void CopiesAll240Bytes()
    {
        var bed = new HvTestBed(convention);
        byte[] payload = Enumerable.Range(0, 240).Select(i => (byte)(i + 1)).ToArray();
        Assert.That(bed.Post(payload: payload), Is.EqualTo(HvStatus.Success));
        Assert.That(bed.Memory.Peek(HvTestBed.SimSlot(0, 3) + 16, 240), Is.EqualTo(payload));
    }
}

[TestFixture]
[Category("Unit")]
[TestFixtureSource(typeof(Forms), nameof(Forms.AllConventions))]
public sealed class PostMessageFromAPartitionWithoutThePostMessagesPrivilege(HypercallConvention convention)
{
    [Test]
    public void ReturnsAccessDenied()
    {
        var bed = new HvTestBed(convention);
        bed.Partition.Privileges = PartitionPrivileges.SignalEvents;
        Assert.Multiple(() =>
        {
            Assert.That(bed.Post(), Is.EqualTo(HvStatus.AccessDenied));
            Assert.That(bed.PostRaw(HvTestBed.InputGpa + 1, 99, 0, 999, [], controlExtra: 1UL << 31).Status, Is.EqualTo(HvStatus.AccessDenied));
            Assert.That(bed.Memory.Writes, Is.Empty);
        });
    }
}

[TestFixture]
[Category("Unit")]
[TestFixtureSource(typeof(Forms), nameof(Forms.AllConventions))]
public sealed class PostMessageWithTheFastBit(HypercallConvention convention)
{
    [Test]
    public void ReturnsInvalidHypercallCode()
    {
        var bed = new HvTestBed(convention);
        HypercallOutcome outcome = bed.PostRaw(HvTestBed.InputGpa, HvTestBed.MessageConnectionId, 1, 0, [], controlExtra: HypercallInputValue.FastBit);
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Status, Is.EqualTo(HvStatus.InvalidHypercallCode));
            Assert.That(outcome.Fast, Is.True);
            Assert.That(bed.Memory.Writes, Is.Empty);
        });
    }
}

[TestFixture]
[Category("Unit")]
[TestFixtureSource(typeof(Forms), nameof(Forms.AllConventions))]
public sealed class PostMessageWithBadControlBits(HypercallConvention convention)
{
    [TestCase(1UL << 27, TestName = "{m}(reserved bit 27)")]
    [TestCase(1UL << 63, TestName = "{m}(reserved bit 63)")]
    [TestCase(1UL << 17, TestName = "{m}(variable header)")]
    [TestCase(1UL << 32, TestName = "{m}(rep count)")]
    public void ReturnsInvalidHypercallInput(ulong controlExtra)
    {
        var bed = new HvTestBed(convention);
        Assert.That(bed.PostRaw(HvTestBed.InputGpa, HvTestBed.MessageConnectionId, 1, 0, [], controlExtra: controlExtra).Status,
            Is.EqualTo(HvStatus.InvalidHypercallInput));
    }
}

[TestFixture]
[Category("Unit")]
[TestFixtureSource(typeof(Forms), nameof(Forms.AllConventions))]
public sealed class PostMessageWithAMisplacedInputBlock(HypercallConvention convention)
{
    [TestCase(HvTestBed.InputGpa + 4, TestName = "{m}(not 8-aligned)")]
    [TestCase(HvTestBed.InputGpa + 0xF08, TestName = "{m}(crosses a page)")]
    [TestCase(HvTestBed.RamSize - 0x80, TestName = "{m}(runs past RAM)")]
    [TestCase(HvTestBed.RamSize + 0x1000, TestName = "{m}(outside RAM)")]
    public void ReturnsInvalidAlignment(ulong gpa)
    {
        var bed = new HvTestBed(convention);
        Assert.That(bed.PostRaw(gpa, HvTestBed.MessageConnectionId, 1, 0, []).Status, Is.EqualTo(HvStatus.InvalidAlignment));
    }

    [Test]
    public void AcceptsABlockThatEndsAtThePageEnd()
    {
        var bed = new HvTestBed(convention);
        Assert.That(bed.PostRaw(HvTestBed.InputGpa + 0xF00, HvTestBed.MessageConnectionId, 1, 0, []).Status, Is.EqualTo(HvStatus.Success));
    }
}

[TestFixture]
[Category("Unit")]
[TestFixtureSource(typeof(Forms), nameof(Forms.AllConventions))]
public sealed class PostMessageWithReservedInputBits(HypercallConvention convention)
{
    [Test]
    public void ReturnsInvalidHypercallInputForConnectionIdBits31To24()
    {
        var bed = new HvTestBed(convention);
        Assert.That(bed.PostRaw(HvTestBed.InputGpa, HvTestBed.MessageConnectionId | 0x0100_0000, 1, 0, []).Status,
            Is.EqualTo(HvStatus.InvalidHypercallInput));
    }

    [Test]
    public void ReturnsInvalidHypercallInputForTheRsvdZWord()
    {
        var bed = new HvTestBed(convention);
        Assert.That(bed.PostRaw(HvTestBed.InputGpa, HvTestBed.MessageConnectionId, 1, 0, [], reserved: 1).Status,
            Is.EqualTo(HvStatus.InvalidHypercallInput));
    }
}

[TestFixture]
[Category("Unit")]
[TestFixtureSource(typeof(Forms), nameof(Forms.AllConventions))]
public sealed class PostMessageWithAnInvalidMessage(HypercallConvention convention)
{
    [TestCase(0u, 0u, TestName = "{m}(MessageType 0)")]
    [TestCase(0x8000_0000u, 0u, TestName = "{m}(hypervisor MessageType 0x80000000)")]
    [TestCase(0x8001_0001u, 0u, TestName = "{m}(hypervisor MessageType 0x80010001)")]
    [TestCase(1u, 241u, TestName = "{m}(PayloadSize 241)")]
    [TestCase(1u, 0xFFFF_FFFFu, TestName = "{m}(PayloadSize 0xFFFFFFFF)")]
    public void ReturnsInvalidParameter(uint messageType, uint payloadSize)
    {
        var bed = new HvTestBed(convention);
        Assert.Multiple(() =>
        {
            Assert.That(bed.PostRaw(HvTestBed.InputGpa, HvTestBed.MessageConnectionId, messageType, payloadSize, []).Status,
                Is.EqualTo(HvStatus.InvalidParameter));
            Assert.That(bed.Memory.Writes, Is.Empty);
        });
    }

    [Test]
    public void ReturnsInvalidParameterBeforeLookingUpTheConnection()
    {
        var bed = new HvTestBed(convention);
        Assert.That(bed.PostRaw(HvTestBed.InputGpa, 99, 0, 0, []).Status, Is.EqualTo(HvStatus.InvalidParameter));
    }
}

[TestFixture]
[Category("Unit")]
[TestFixtureSource(typeof(Forms), nameof(Forms.AllConventions))]
public sealed class PostMessageThroughAnUnusableConnection(HypercallConvention convention)
{
    [Test]
    public void ReturnsInvalidConnectionIdForAnUnknownConnection() =>
        Assert.That(new HvTestBed(convention).Post(connectionId: 99), Is.EqualTo(HvStatus.InvalidConnectionId));

    [Test]
    public void ReturnsInvalidPortIdForAStaleConnection()
    {
        var bed = new HvTestBed(convention);
        bed.Partition.RemovePort(HvTestBed.MessagePortId);
        Assert.That(bed.Post(), Is.EqualTo(HvStatus.InvalidPortId));
    }

    [Test]
    public void ReturnsInvalidPortIdForAnInactivePartition()
    {
        var bed = new HvTestBed(convention);
        bed.Partition.IsActive = false;
        Assert.That(bed.Post(), Is.EqualTo(HvStatus.InvalidPortId));
    }

    [Test]
    public void ReturnsInvalidPortIdForAnEventPort() =>
        Assert.That(new HvTestBed(convention).Post(connectionId: HvTestBed.EventConnectionId), Is.EqualTo(HvStatus.InvalidPortId));

    [Test]
    public void ReturnsInvalidVpIndexForAMissingTargetVp()
    {
        var bed = new HvTestBed(convention);
        bed.Partition.AddMessagePort(40, targetVp: 2, targetSint: 3);
        bed.Partition.AddConnection(41, bed.Partition, 40);
        Assert.That(bed.Post(connectionId: 41), Is.EqualTo(HvStatus.InvalidVpIndex));
    }

    [Test]
    public void ReturnsInvalidSynicStateWhenTheTargetSynicIsDisabled()
    {
        var bed = new HvTestBed(convention);
        bed.WriteMsrOk(HvTestBed.MessageTargetVp, HvMsr.Scontrol, 0);
        Assert.That(bed.Post(), Is.EqualTo(HvStatus.InvalidSynicState));
    }

    [Test]
    public void ReturnsInvalidSynicStateWhenTheSimPageIsDisabled()
    {
        var bed = new HvTestBed(convention);
        bed.WriteMsrOk(HvTestBed.MessageTargetVp, HvMsr.Simp, HvTestBed.SimVp0);
        Assert.Multiple(() =>
        {
            Assert.That(bed.Post(), Is.EqualTo(HvStatus.InvalidSynicState));
            Assert.That(bed.Partition.Synic(0).QueuedMessageCount(HvTestBed.MessageSint), Is.Zero);
        });
    }
}

[TestFixture]
[Category("Unit")]
[TestFixtureSource(typeof(Forms), nameof(Forms.AllConventions))]
public sealed class PostMessageToABusySlot(HypercallConvention convention)
{
    private HvTestBed _bed = null!;
    private byte[] _firstMessage = null!;

    private static ulong Slot => HvTestBed.SimSlot(0, 3);

    [SetUp]
    public void SetUp()
    {
        _bed = new HvTestBed(convention);
        _bed.Post(messageType: 1, payload: [0xAA]);
        _firstMessage = _bed.Memory.Peek(Slot, 256);
        _bed.Sink.Clear();
        _bed.Memory.ClearWriteLog();
        Assert.That(_bed.Post(messageType: 2, payload: [0xBB]), Is.EqualTo(HvStatus.Success));
    }

    [Test]
    public void QueuesTheMessage() => Assert.That(_bed.Partition.Synic(0).QueuedMessageCount(3), Is.EqualTo(1));

    [Test]
    public void SetsMessagePendingInTheOccupyingMessage()
    {
        byte[] expected = (byte[])_firstMessage.Clone();
        expected[HvMessage.MessageFlagsOffset] = HvMessage.MessagePendingFlag;
        Assert.That(_bed.Memory.Peek(Slot, 256), Is.EqualTo(expected));
    }

    [Test]
    public void SetsMessagePendingWithOneAtomicOr() =>
        Assert.That(_bed.Memory.Writes, Is.EqualTo(new[] { new MemoryWrite(Slot, 8, 1UL << 40, true) }));

    [Test]
    public void RaisesNoInterrupt() => Assert.That(_bed.Sink.Count, Is.Zero);

    [Test]
    public void DeliversItOnEomAfterTheGuestEmptiedTheSlot()
    {
        Assert.That(_bed.ConsumeMessage(0, 3), Is.True, "MessagePending seen by the guest");
        Assert.Multiple(() =>
        {
            Assert.That(_bed.Memory.Peek32(Slot), Is.EqualTo(2u));
            Assert.That(_bed.Memory.Peek(Slot + 16, 1)[0], Is.EqualTo((byte)0xBB));
            Assert.That(_bed.Memory.Peek(Slot + 5, 1)[0], Is.Zero, "nothing more pending");
            Assert.That(_bed.Sink.Assertions, Is.EqualTo(new[] { new SintAssertion(0, HvTestBed.MessageVector, false) }));
            Assert.That(_bed.Partition.Synic(0).QueuedMessageCount(3), Is.Zero);
        });
    }

    [Test]
    public void DeliversItOnALaterPostAfterTheGuestEmptiedTheSlot()
    {
        _bed.Memory.Poke32(Slot, 0);
        Assert.That(_bed.Post(messageType: 3, payload: [0xCC]), Is.EqualTo(HvStatus.Success));
        Assert.Multiple(() =>
        {
            Assert.That(_bed.Memory.Peek32(Slot), Is.EqualTo(2u), "the older message first");
            Assert.That(_bed.Memory.Peek(Slot + 5, 1)[0], Is.EqualTo(HvMessage.MessagePendingFlag), "message 3 still queued");
            Assert.That(_bed.Sink.Count, Is.EqualTo(1));
        });
    }

    [Test]
    public void DeliversNothingOnEomWhileTheSlotIsStillFull()
    {
        _bed.WriteMsrOk(0, HvMsr.Eom, 0);
        Assert.Multiple(() =>
        {
            Assert.That(_bed.Memory.Peek32(Slot), Is.EqualTo(1u));
            Assert.That(_bed.Sink.Count, Is.Zero);
        });
    }
}

[TestFixture]
[Category("Unit")]
public sealed class PostMessagesWhileTheGuestIsSlow
{
    [Test]
    public void ArriveInPostingOrder()
    {
        var bed = new HvTestBed();
        for (byte i = 1; i <= 10; i++)
        {
            Assert.That(bed.Post(messageType: i, payload: [i]), Is.EqualTo(HvStatus.Success));
        }

        var seen = new List<uint>();
        for (int i = 0; i < 10; i++)
        {
            seen.Add(bed.Memory.Peek32(HvTestBed.SimSlot(0, 3)));
            bool pending = bed.ConsumeMessage(0, 3);
            Assert.That(pending, Is.EqualTo(i < 9), $"MessagePending on message {i + 1}");
        }

        Assert.Multiple(() =>
        {
            Assert.That(seen, Is.EqualTo(Enumerable.Range(1, 10).Select(i => (uint)i)));
            Assert.That(bed.Memory.Peek32(HvTestBed.SimSlot(0, 3)), Is.Zero);
            Assert.That(bed.Sink.Count, Is.EqualTo(10), "one interrupt per delivery");
        });
    }
}

[TestFixture]
[Category("Unit")]
[TestFixtureSource(typeof(Forms), nameof(Forms.AllConventions))]
public sealed class PostMessageWhenThePortsBuffersAreAllInUse(HypercallConvention convention)
{
    private HvTestBed _bed = null!;

    [SetUp]
    public void SetUp()
    {
        _bed = new HvTestBed(convention);

        // One message in the slot (no buffer held), then 16 queued: every buffer in use.
        for (int i = 0; i < 1 + MessagePort.BufferCount; i++)
        {
            Assert.That(_bed.Post(messageType: (uint)(i + 1)), Is.EqualTo(HvStatus.Success), $"post {i + 1}");
        }
    }

    [Test]
    public void ReturnsInsufficientBuffers() => Assert.That(_bed.Post(messageType: 99), Is.EqualTo(HvStatus.InsufficientBuffers));

    [Test]
    public void QueuesNothingMore()
    {
        _bed.Post(messageType: 99);
        Assert.That(_bed.Partition.Synic(0).QueuedMessageCount(3), Is.EqualTo(MessagePort.BufferCount));
    }

    [Test]
    public void AcceptsAgainOnceADeliveryFreedABuffer()
    {
        _bed.ConsumeMessage(0, 3);
        Assert.That(_bed.Post(messageType: 99), Is.EqualTo(HvStatus.Success));
    }

    [Test]
    public void DoesNotLimitOtherPorts()
    {
        _bed.Partition.AddMessagePort(60, 0, 3);
        _bed.Partition.AddConnection(61, _bed.Partition, 60);
        Assert.That(_bed.Post(connectionId: 61), Is.EqualTo(HvStatus.Success));
    }
}

[TestFixture]
[Category("Unit")]
public sealed class PostMessageToAMaskedOrPollingSint
{
    [TestCase(SintRegister.MaskedBit | HvTestBed.MessageVector, TestName = "{m}(masked)")]
    [TestCase(SintRegister.PollingBit | HvTestBed.MessageVector, TestName = "{m}(polling)")]
    public void DeliversTheMessageWithoutAnInterrupt(ulong sint)
    {
        var bed = new HvTestBed();
        bed.WriteMsrOk(0, HvMsr.Sint0 + 3, sint);
        Assert.Multiple(() =>
        {
            Assert.That(bed.Post(messageType: 5), Is.EqualTo(HvStatus.Success));
            Assert.That(bed.Memory.Peek32(HvTestBed.SimSlot(0, 3)), Is.EqualTo(5u));
            Assert.That(bed.Sink.Count, Is.Zero);
        });
    }
}

[TestFixture]
[Category("Unit")]
public sealed class PostMessageToAnAutoEoiSint
{
    [Test]
    public void PassesAutoEoiToTheSink()
    {
        var bed = new HvTestBed();
        bed.WriteMsrOk(0, HvMsr.Sint0 + 3, SintRegister.AutoEoiBit | 0x80);
        bed.Post();
        Assert.That(bed.Sink.Assertions, Is.EqualTo(new[] { new SintAssertion(0, 0x80, true) }));
    }
}

[TestFixture]
[Category("Unit")]
public sealed class QueuedMessagesOfARemovedPort
{
    [Test]
    public void AreDroppedAndOthersStillArrive()
    {
        var bed = new HvTestBed();
        bed.Partition.AddMessagePort(60, 0, 3);
        bed.Partition.AddConnection(61, bed.Partition, 60);
        bed.Post(messageType: 1);
        bed.Post(messageType: 2);
        bed.Post(connectionId: 61, messageType: 3);
        Assert.That(bed.Partition.RemovePort(HvTestBed.MessagePortId), Is.True);
        Assert.That(bed.Partition.Synic(0).QueuedMessageCount(3), Is.EqualTo(1));
        bed.ConsumeMessage(0, 3);
        Assert.Multiple(() =>
        {
            Assert.That(bed.Memory.Peek32(HvTestBed.SimSlot(0, 3)), Is.EqualTo(3u), "message 1 stayed in the slot; 2 was dropped");
            Assert.That(bed.Memory.Peek64(HvTestBed.SimSlot(0, 3) + 8), Is.EqualTo(60UL));
        });
    }
}

[TestFixture]
[Category("Unit")]
public sealed class QueuedMessageWhenTheSimIsDisabledLater
{
    [Test]
    public void StaysQueuedUntilTheSimIsEnabledAgain()
    {
        var bed = new HvTestBed();
        bed.Post(messageType: 1);
        bed.Post(messageType: 2);
        bed.WriteMsrOk(0, HvMsr.Simp, 0);
        bed.Memory.Poke32(HvTestBed.SimSlot(0, 3), 0);
        bed.WriteMsrOk(0, HvMsr.Eom, 0);
        Assert.Multiple(() =>
        {
            Assert.That(bed.Partition.Synic(0).QueuedMessageCount(3), Is.EqualTo(1));
            Assert.That(bed.Post(messageType: 3), Is.EqualTo(HvStatus.InvalidSynicState), "new posts are refused meanwhile");
        });

        bed.WriteMsrOk(0, HvMsr.Simp, HvTestBed.SimVp0 | 1);
        Assert.Multiple(() =>
        {
            Assert.That(bed.Memory.Peek32(HvTestBed.SimSlot(0, 3)), Is.EqualTo(2u));
            Assert.That(bed.Partition.Synic(0).QueuedMessageCount(3), Is.Zero);
        });
    }
}

[TestFixture]
[Category("Unit")]
public sealed class PostMessageToASimPageOutsideRam
{
    [Test]
    public void SucceedsAndTheMessageIsLost()
    {
        var bed = new HvTestBed();
        bed.WriteMsrOk(0, HvMsr.Simp, (HvTestBed.RamSize + 0x10000) | 1);
        Assert.Multiple(() =>
        {
            Assert.That(bed.Post(), Is.EqualTo(HvStatus.Success));
            Assert.That(bed.Memory.Writes, Is.Empty);
            Assert.That(bed.Sink.Count, Is.Zero);
            Assert.That(bed.Partition.Synic(0).QueuedMessageCount(3), Is.Zero, "no buffer held forever");
        });
    }
}

[TestFixture]
[Category("Unit")]
public sealed class PostMessageAcrossPartitions
{
    [Test]
    public void DeliversIntoTheSimAndSinkOfThePortsPartition()
    {
        var a = new HvTestBed(HypercallConvention.Rax, partitionId: 1);
        var b = new HvTestBed(HypercallConvention.Tlfs, partitionId: 2);
        b.Partition.AddMessagePort(80, targetVp: 1, targetSint: 3);
        a.Partition.AddConnection(800, b.Partition, 80);
        Assert.That(a.Post(connectionId: 800, messageType: 9, payload: [42]), Is.EqualTo(HvStatus.Success));
        Assert.Multiple(() =>
        {
            Assert.That(b.Memory.Peek32(HvTestBed.SimSlot(1, 3)), Is.EqualTo(9u));
            Assert.That(b.Memory.Peek64(HvTestBed.SimSlot(1, 3) + 8), Is.EqualTo(80UL));
            Assert.That(b.Sink.Assertions, Is.EqualTo(new[] { new SintAssertion(1, HvTestBed.MessageVector, false) }));
            Assert.That(a.Sink.Count, Is.Zero);
            Assert.That(a.Memory.Writes, Is.Empty);
        });
    }
}

/// <summary>Posters on several threads while the guest drains the slot on another: nothing lost, nothing doubled,
/// each poster's messages in order.</summary>
[TestFixture]
[Category("Unit")]
public sealed class ConcurrentPostsAndEoms
{
    private const int Posters = 2;
    private const int MessagesPerPoster = 300;

    [Test]
    [CancelAfter(30_000)]
    public void DeliverEveryMessageOnceInOrder(CancellationToken cancel)
    {
        var bed = new HvTestBed(vpCount: Posters + 1);
        bed.Memory.RecordWrites = false;
        ulong slot = HvTestBed.SimSlot(0, 3);
        var received = new List<(int Poster, int Sequence)>();
        HvStatus? unexpected = null;

        var posters = Enumerable.Range(0, Posters).Select(p => new Thread(() =>
        {
            byte[] block = new byte[HvPostMessageInput.Size];
            ulong gpa = 0x50000 + ((ulong)p * 0x1000);
            for (int seq = 0; seq < MessagesPerPoster && !cancel.IsCancellationRequested;)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(block, HvTestBed.MessageConnectionId);
                BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(8), 1);
                BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(12), 8);
                BinaryPrimitives.WriteInt32LittleEndian(block.AsSpan(16), p);
                BinaryPrimitives.WriteInt32LittleEndian(block.AsSpan(20), seq);
                bed.Memory.Poke(gpa, block);
                var registers = new HypercallRegisters { Rcx = 0x5C, Rdx = gpa };
                HvStatus status = bed.Partition.Hypercall(p + 1, ref registers).Status;
                if (status == HvStatus.Success)
                {
                    seq++;
                }
                else if (status == HvStatus.InsufficientBuffers)
                {
                    Thread.Yield();
                }
                else
                {
                    unexpected = status; // recorded, not thrown: an exception on this thread would end the test host
                    break;
                }
            }
        })).ToList();
        posters.ForEach(t => t.Start());

        // The guest on VP0: take the message, write MessageType 0, and EOM if MessagePending was set.
        while (received.Count < Posters * MessagesPerPoster && !cancel.IsCancellationRequested && unexpected is null)
        {
            if ((uint)bed.Memory.AtomicRead64(slot) == HvMessage.MessageTypeNone)
            {
                Thread.Yield();
                continue;
            }

            byte[] message = bed.Memory.Peek(slot + 16, 8);
            received.Add((BinaryPrimitives.ReadInt32LittleEndian(message), BinaryPrimitives.ReadInt32LittleEndian(message.AsSpan(4))));
            bed.ConsumeMessage(0, 3);
        }

        posters.ForEach(t => t.Join());
        Assert.Multiple(() =>
        {
            Assert.That(unexpected, Is.Null, "posters saw only SUCCESS or INSUFFICIENT_BUFFERS");
            Assert.That(cancel.IsCancellationRequested, Is.False, "finished in time (no lost wake-up)");
            Assert.That(received, Has.Count.EqualTo(Posters * MessagesPerPoster));
            for (int p = 0; p < Posters; p++)
            {
                Assert.That(received.Where(r => r.Poster == p).Select(r => r.Sequence), Is.EqualTo(Enumerable.Range(0, MessagesPerPoster)), $"poster {p}");
            }
        });
    }
}

/// <summary>Several message ports on one SINT queue up to 16 messages each behind a busy slot; neither the posts nor
/// the EOM writes that drain them allocate once the ports are set up.</summary>
[TestFixture]
[Category("Unit")]
public sealed class PostMessageOnTheCallPath
{
    private const ulong InputGpa = HvTestBed.InputGpa;
    private const int Sint = 3, Ports = 3;

    [Test]
    public void AllocatesNothingWithSeveralPortsOnOneSint()
    {
        // Each attempt is a fresh partition whose first posts are measured, so a queue that grew on the call path would
        // allocate in every attempt. The tiered JIT may allocate a little on this thread while it promotes methods, so
        // attempts repeat until one is clean.
        Fill(NewPartition(out _)); // warm-up: every method has run once
        const int MaxAttempts = 20;
        long allocated = -1;
        int attempts = 0;
        int queuedMessages = 0;
        while (allocated != 0 && attempts < MaxAttempts)
        {
            Partition partition = NewPartition(out FakeGuestMemory memory);
            long before = GC.GetAllocatedBytesForCurrentThread();
            Fill(partition);
            queuedMessages = partition.Synic(0).QueuedMessageCount(Sint);
            Drain(partition, memory);
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            attempts++;
        }

        Assert.Multiple(() =>
        {
            Assert.That(allocated, Is.Zero, $"bytes allocated in the last of {attempts} attempts");
            Assert.That(queuedMessages, Is.EqualTo(Ports * MessagePort.BufferCount), "every port's buffers were queued at once");
        });
    }

    private static Partition NewPartition(out FakeGuestMemory memory)
    {
        memory = new FakeGuestMemory(HvTestBed.RamSize) { RecordWrites = false };
        var partition = new Partition(1, 1, HvTestBed.DefaultPrivileges, HypercallConvention.Tlfs, StatusProfile.Tlfs, memory, new SilentSink());
        partition.WriteMsr(0, HvMsr.Simp, HvTestBed.SimVp0 | 1);
        partition.WriteMsr(0, HvMsr.Sint0 + Sint, HvTestBed.MessageVector);
        partition.WriteMsr(0, HvMsr.Scontrol, 1);
        for (uint port = 1; port <= Ports; port++)
        {
            partition.AddMessagePort(port, targetVp: 0, Sint);
            partition.AddConnection(port, partition, port);
        }

        // One block per connection, at InputGpa + 256 × (connection − 1): MessageType 1, no payload.
        for (uint connection = 1; connection <= Ports; connection++)
        {
            memory.Poke64(InputGpa + ((connection - 1) * 256), connection);
            memory.Poke64(InputGpa + ((connection - 1) * 256) + 8, 1);
        }

        return partition;
    }

    /// <summary>The first post fills the slot; the rest queue until every port's buffers are in use.</summary>
    private static void Fill(Partition partition)
    {
        var registers = new HypercallRegisters();
        for (uint connection = 1; connection <= Ports; connection++)
        {
            for (int i = 0; i <= MessagePort.BufferCount; i++)
            {
                registers.Rcx = (ulong)HypercallCode.HvCallPostMessage;
                registers.Rdx = InputGpa + ((connection - 1) * 256);
                registers.R8 = 0;
                partition.Hypercall(0, ref registers);
            }
        }
    }

    /// <summary>What the guest does for each message: empty the slot, then EOM.</summary>
    private static void Drain(Partition partition, FakeGuestMemory memory)
    {
        ulong slot = HvTestBed.SimVp0 + (Sint * 256);
        for (int i = 0; i <= Ports * MessagePort.BufferCount; i++)
        {
            memory.AtomicAnd64(slot, 0xFFFF_FFFF_0000_0000UL);
            partition.WriteMsr(0, HvMsr.Eom, 0);
        }
    }

    /// <summary>Records nothing: a recording sink would allocate.</summary>
    private sealed class SilentSink : ISintSink
    {
        public void AssertSint(int vpIndex, byte vector, bool autoEoi)
        {
        }
    }
}

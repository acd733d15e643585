using HvBench.Hyperv.Tests.Support;

namespace HvBench.Hyperv.Tests.Hypercalls;

/// <summary>Several vCPU threads signalling at once, while the configuration changes under them.</summary>
[TestFixture]
[Category("Unit")]
public sealed class ConcurrentSignalsOnDistinctFlags
{
    private const int Threads = 4;
    private const int FlagsPerThread = 512;
    private const int Rounds = 20;

    [Test]
    public void LoseNoFlagAndAssertOncePerFlag()
    {
        var memory = new FakeGuestMemory(HvTestBed.RamSize) { RecordWrites = false };
        var sink = new RecordingSintSink();
        var partition = new Partition(1, Threads, HvTestBed.DefaultPrivileges, HypercallConvention.Tlfs, StatusProfile.Tlfs, memory, sink);
        partition.WriteMsr(0, HvMsr.Siefp, HvTestBed.SiefVp0 | 1);
        partition.WriteMsr(0, HvMsr.Sint0 + 4, 0x50);
        partition.WriteMsr(0, HvMsr.Scontrol, 1);
        partition.AddEventPort(1, 0, 4, 0, Threads * FlagsPerThread);
        partition.AddConnection(7, partition, 1);

        for (int round = 0; round < Rounds; round++)
        {
            memory.Fill(HvTestBed.SiefVp0, 4096, 0);
            sink.Clear();
            using var start = new Barrier(Threads);
            var workers = new Thread[Threads];
            for (int t = 0; t < Threads; t++)
            {
                int vp = t;
                workers[t] = new Thread(() =>
                {
                    start.SignalAndWait();

                    // Interleave the threads' flags so that they share every 64-bit word of the slot.
                    for (int i = 0; i < FlagsPerThread; i++)
                    {
                        ulong flag = (ulong)((i * Threads) + vp);
                        var registers = new HypercallRegisters { Rcx = 0x5D | HypercallInputValue.FastBit, Rdx = 7 | (flag << 32) };
                        partition.Hypercall(vp, ref registers);
                    }
                });
                workers[t].Start();
            }

            foreach (Thread worker in workers)
            {
                worker.Join();
            }

            byte[] slot = memory.Peek(HvTestBed.SiefVp0 + (4 * 256), 256);
            Assert.Multiple(() =>
            {
                Assert.That(slot, Has.All.EqualTo((byte)0xFF), $"round {round}: every flag set");
                Assert.That(sink.Count, Is.EqualTo(Threads * FlagsPerThread), $"round {round}: one assertion per flag");
            });
        }

        Assert.That(partition.GetHypercallCount(HvStatus.Success), Is.EqualTo(Threads * FlagsPerThread * Rounds));
    }
}

[TestFixture]
[Category("Unit")]
public sealed class SignalsWhilePortsAndConnectionsChange
{
    [Test]
    public void NeverThrowAndReturnOnlyTheExpectedStatuses()
    {
        var bed = new HvTestBed();
        bed.Memory.RecordWrites = false;
        using var stop = new CancellationTokenSource();
        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<HvStatus, int>();
        Exception? failure = null;
        var signaller = new Thread(() =>
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    statuses.AddOrUpdate(bed.Signal(), 1, (_, n) => n + 1);
                    bed.Memory.Fill(HvTestBed.SiefVp1, 4096, 0);
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        signaller.Start();
        for (int i = 0; i < 2000; i++)
        {
            bed.Partition.RemovePort(HvTestBed.EventPortId);
            bed.Partition.AddEventPort(HvTestBed.EventPortId, HvTestBed.EventTargetVp, HvTestBed.EventSint, 0, 64);
            bed.Partition.RemoveConnection(HvTestBed.EventConnectionId);
            bed.Partition.AddConnection(HvTestBed.EventConnectionId, bed.Partition, HvTestBed.EventPortId);
        }

        stop.Cancel();
        signaller.Join();
        Assert.Multiple(() =>
        {
            Assert.That(failure, Is.Null);
            Assert.That(statuses.Keys, Is.SubsetOf(new[] { HvStatus.Success, HvStatus.InvalidPortId, HvStatus.InvalidConnectionId }));
            Assert.That(bed.Signal(), Is.EqualTo(HvStatus.Success));
        });
    }
}

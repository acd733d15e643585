using System.Buffers.Binary;
using CsCheck;
using HvBench.Hyperv.Tests.Support;

namespace HvBench.Hyperv.Tests.Properties;

/// <summary>Over a million random hypercalls and MSR writes against two connected partitions, with a fixed seed: the
/// model never throws, always answers with a defined status or #GP, sets no flag outside a port's range and writes
/// no byte outside the SIEF pages, SIM pages and hypercall page.</summary>
/// <remarks>
/// CsCheck's <c>Sample</c> pins only its first iteration to a seed, so the run is one iteration whose value is the
/// whole workload: <see cref="ScenarioCount"/> scenarios, each a random configuration plus an operation seed from
/// which its operations are drawn with the same generators and a <see cref="PCG"/>. A failure names the scenario,
/// operation and the operation itself; the seed makes it reproducible.
/// </remarks>
[TestFixture]
[Category("Unit")]
public sealed class RandomHypercallsAndMsrWrites
{
    private const string Seed = "fjEyGGBrcC81";
    private const int ScenarioCount = 1000;
    private const int OperationsPerScenario = 1100;
    private const ulong Ram = 0x10000; // 16 pages per partition; pages 16.. are outside RAM
    private const int VpCount = 2;

    private static readonly HvStatus[] s_statusesTheModelReturns =
    [
        HvStatus.Success, HvStatus.InvalidHypercallCode, HvStatus.InvalidHypercallInput, HvStatus.InvalidAlignment,
        HvStatus.InvalidParameter, HvStatus.AccessDenied, HvStatus.InvalidVpIndex, HvStatus.InvalidPortId,
        HvStatus.InvalidConnectionId, HvStatus.InsufficientBuffers, HvStatus.InvalidSynicState,
    ];

    private enum OpKind
    {
        Hypercall,
        WriteMsr,
        ReadMsr,
        GuestConsumesMessage,
        GuestClearsFlags,
        SetActive,
        RemovePort,
        RestorePorts,
    }

    [Test]
    public void NeverThrowAndKeepTheInvariants()
    {
        var totals = new Totals();
        Gen<Scenario[]> workload = ScenarioGen.Array[ScenarioCount];
        workload.Sample(
            scenarios =>
            {
                for (int i = 0; i < scenarios.Length; i++)
                {
                    Run(i, scenarios[i], totals);
                }
            },
            seed: Seed,
            iter: 1,
            threads: 1,
            print: scenarios => $"{scenarios.Length} scenarios");

        TestContext.Out.WriteLine($"{totals.Hypercalls:N0} hypercalls, {totals.MsrWrites:N0} MSR writes, {totals.SintAssertions:N0} SINT assertions");
        foreach ((HvStatus status, long count) in totals.ByStatus.OrderBy(p => p.Key.Value))
        {
            TestContext.Out.WriteLine($"  {status.Name,-36} {count,10:N0}");
        }

        Assert.Multiple(() =>
        {
            Assert.That(totals.Hypercalls + totals.MsrWrites, Is.GreaterThanOrEqualTo(1_000_000));
            Assert.That(totals.ByStatus.Keys, Is.EquivalentTo(s_statusesTheModelReturns), "the generator reaches every status");
            Assert.That(totals.MsrFaults, Is.Positive);
            Assert.That(totals.SintAssertions, Is.Positive);
        });
    }

    // ---- workload -------------------------------------------------------------------------------------------------

    private sealed record PortSpec(bool OnB, uint Id, bool IsEvent, int TargetVp, int Sint, ushort BaseFlag, ushort FlagCount);

    private sealed record ConnectionSpec(bool OnB, uint Id, bool ToB, uint PortId);

    private sealed record Scenario(
        (HypercallConvention Convention, StatusProfile Profile) CallingA,
        (HypercallConvention Convention, StatusProfile Profile) CallingB,
        PartitionPrivileges PrivilegesA,
        PartitionPrivileges PrivilegesB,
        PortSpec[] Ports,
        ConnectionSpec[] Connections,
        ulong OperationSeed);

    private readonly record struct Op(OpKind Kind, bool OnB, int Vp, ulong Input, ulong Block, ulong Gpa, ulong Junk, uint Msr, ulong Value, PostFields Post);

    private readonly record struct PostFields(uint ConnectionId, uint Reserved, uint MessageType, uint PayloadSize, byte Fill);

    private static readonly Gen<PartitionPrivileges> PrivilegesGen = Gen.Frequency(
        (8, Gen.Const(PartitionPrivileges.SignalEvents | PartitionPrivileges.PostMessages)),
        (1, Gen.Const(PartitionPrivileges.SignalEvents)),
        (1, Gen.Const(PartitionPrivileges.PostMessages)),
        (1, Gen.Const(PartitionPrivileges.None)));

    // Both conventions under both status profiles: the invariants hold whichever statuses the partition answers with.
    private static readonly Gen<(HypercallConvention, StatusProfile)> CallingGen = Gen.Select(
        Gen.OneOf(HypercallConvention.Tlfs, HypercallConvention.Rax), Gen.OneOf(StatusProfile.Tlfs, StatusProfile.KvmCompat),
        (convention, profile) => (convention, profile));

    private static readonly Gen<PortSpec> EventPortGen =
        Gen.Select(Gen.Bool, Gen.UInt[1, 8], Gen.Frequency((8, Gen.Int[0, VpCount - 1]), (1, Gen.Const(VpCount))), Gen.Int[0, 3],
            Gen.Frequency((3, Gen.Int[0, 64]), (1, Gen.Int[0, 2047])), Gen.Int[1, 80],
            (onB, id, vp, sint, baseFlag, count) => new PortSpec(onB, id, true, vp, sint, (ushort)baseFlag, (ushort)Math.Min(count, 2048 - baseFlag)));

    private static readonly Gen<PortSpec> MessagePortGen =
        Gen.Select(Gen.Bool, Gen.UInt[9, 12], Gen.Frequency((8, Gen.Int[0, VpCount - 1]), (1, Gen.Const(VpCount))), Gen.Int[0, 3],
            (onB, id, vp, sint) => new PortSpec(onB, id, false, vp, sint, 0, 0));

    // Connections 1..6, mostly in A (the usual caller), mostly to one of the scenario's ports, sometimes to a port
    // id that may not exist (13, or a port the scenario did not create).
    private static readonly Gen<(bool OnB, uint Id, uint Pick, bool Stray)> ConnectionGen =
        Gen.Select(Gen.Frequency((3, Gen.Const(false)), (1, Gen.Const(true))), Gen.UInt[1, 6], Gen.UInt, Gen.Frequency((8, Gen.Const(false)), (1, Gen.Const(true))),
            (onB, id, pick, stray) => (onB, id, pick, stray));

    private static readonly Gen<Scenario> ScenarioGen =
        Gen.Select(CallingGen, CallingGen, PrivilegesGen, PrivilegesGen, EventPortGen.Array[2, 6], MessagePortGen.Array[1, 3], ConnectionGen.Array[6, 12], Gen.ULong,
            (ca, cb, pa, pb, events, messages, connections, seed) =>
            {
                PortSpec[] ports = [.. events, .. messages];
                ConnectionSpec[] specs = [.. connections.Select(c =>
                {
                    PortSpec target = ports[(int)(c.Pick % (uint)ports.Length)];
                    return c.Stray
                        ? new ConnectionSpec(c.OnB, c.Id, (c.Pick & 1) != 0, 1 + (c.Pick % 13))
                        : new ConnectionSpec(c.OnB, c.Id, target.OnB, target.Id);
                })];
                return new Scenario(ca, cb, pa, pb, ports, specs, seed);
            });

    private static readonly Gen<ulong> ConnectionIdGen = Gen.Frequency(
        (16, Gen.UInt[1, 6].Select(x => (ulong)x)), (1, Gen.UInt[0, 0xFFFFFF].Select(x => (ulong)x)), (1, Gen.UInt.Select(x => (ulong)x)));

    private static readonly Gen<ulong> SignalBlockGen = Gen.Select(
        ConnectionIdGen,
        Gen.Frequency((8, Gen.UShort[0, 90]), (1, Gen.UShort[0, 2100]), (1, Gen.UShort)),
        Gen.Frequency((20, Gen.Const((ushort)0)), (1, Gen.UShort)),
        (connection, flag, reserved) => (uint)connection | ((ulong)flag << 32) | ((ulong)reserved << 48));

    private static Gen<ulong> InputValueFor(ulong code, int fastPercent) => Gen.Select(
        Gen.Int[0, 99].Select(n => n < fastPercent),
        Gen.Frequency((20, Gen.Const(0UL)), (1, Gen.Int[17, 63].Select(bit => 1UL << bit))),
        (fast, extra) => code | (fast ? HypercallInputValue.FastBit : 0) | extra);

    private static readonly Gen<ulong> InputValueGen = Gen.Frequency(
        (11, InputValueFor(0x5D, 60)),
        (7, InputValueFor(0x5C, 5)),
        (1, Gen.UShort.SelectMany(code => InputValueFor(code, 50))),
        (1, Gen.ULong));

    private static readonly Gen<ulong> GpaGen = Gen.Frequency(
        (12, Gen.Select(Gen.Int[0, 15], Gen.Int[0, 511], (page, word) => ((ulong)page * 4096) + ((ulong)word * 8))),
        (1, Gen.Select(Gen.Int[0, 15], Gen.Int[0, 4095], (page, offset) => ((ulong)page * 4096) + (ulong)offset)),
        (1, Gen.Int[16, 18].Select(page => (ulong)page * 4096)),
        (1, Gen.ULong));

    private static readonly Gen<PostFields> PostGen = Gen.Select(
        ConnectionIdGen,
        Gen.Frequency((20, Gen.Const(0u)), (1, Gen.UInt)),
        Gen.Frequency((16, Gen.UInt[1, 8]), (1, Gen.Const(0u)), (1, Gen.UInt)),
        Gen.Frequency((16, Gen.UInt[0, 240]), (1, Gen.UInt)),
        Gen.Byte,
        (connection, reserved, type, size, fill) => new PostFields((uint)connection, reserved, type, size, fill));

    private static readonly Gen<uint> MsrGen = Gen.Frequency(
        (2, Gen.Const(HvMsr.GuestOsId)), (3, Gen.Const(HvMsr.Hypercall)), (1, Gen.Const(HvMsr.VpIndex)),
        (2, Gen.Const(HvMsr.Scontrol)), (1, Gen.Const(HvMsr.Sversion)), (3, Gen.Const(HvMsr.Siefp)), (3, Gen.Const(HvMsr.Simp)),
        (8, Gen.Const(HvMsr.Eom)), (10, Gen.UInt[HvMsr.Sint0, HvMsr.Sint0 + 3]), (2, Gen.UInt[HvMsr.Sint0, HvMsr.Sint15]),
        (2, Gen.UInt[HvMsr.RangeFirst, HvMsr.RangeLast]), (1, Gen.UInt));

    private static readonly Gen<ulong> PageInRamGen = Gen.Int[0, 15].Select(page => (ulong)page * 4096);

    private static readonly Gen<ulong> AnyPageGen = Gen.Int[0, 17].Select(page => (ulong)page * 4096);

    /// <summary>Values a guest might write to <paramref name="msr"/>, and sometimes nonsense.</summary>
    private static Gen<ulong> ValueFor(uint msr) => msr switch
    {
        HvMsr.Scontrol => Gen.Frequency((10, Gen.Const(1UL)), (1, Gen.Const(0UL)), (1, Gen.ULong)),
        HvMsr.Siefp or HvMsr.Simp => Gen.Frequency(
            (10, PageInRamGen.Select(gpa => gpa | 1)), (1, AnyPageGen.Select(gpa => gpa | 1)), (1, AnyPageGen), (1, Gen.ULong)),
        HvMsr.GuestOsId => Gen.Frequency((10, Gen.ULong), (1, Gen.Const(0UL))),
        HvMsr.Hypercall => Gen.Frequency(
            (10, AnyPageGen.Select(gpa => gpa | 1)), (2, AnyPageGen), (1, AnyPageGen.Select(gpa => gpa | 3)), (1, Gen.ULong)),
        >= HvMsr.Sint0 and <= HvMsr.Sint15 => Gen.Frequency(
            (10, Gen.Select(Gen.Byte[16, 255], Gen.Frequency((12, Gen.Const(0UL)), (1, Gen.UInt[0, 7].Select(f => (ulong)f))),
                (vector, flags) => vector | (flags << 16))),
            (2, Gen.Select(Gen.Byte[0, 15], Gen.UInt[0, 7], (vector, flags) => vector | ((ulong)flags << 16))),
            (1, Gen.ULong)),
        _ => Gen.Frequency((3, Gen.UInt[0, 3].Select(x => (ulong)x)), (1, Gen.ULong)),
    };

    private static readonly Gen<Op> HypercallGen = Gen.Select(
        Gen.Frequency((4, Gen.Const(false)), (1, Gen.Const(true))), Gen.Int[0, VpCount - 1], InputValueGen, SignalBlockGen, GpaGen, Gen.ULong, PostGen,
        (onB, vp, input, block, gpa, junk, post) => new Op(OpKind.Hypercall, onB, vp, input, block, gpa, junk, 0, 0, post));

    private static readonly Gen<Op> MsrWriteGen = Gen.Select(Gen.Bool, Gen.Int[0, VpCount - 1], MsrGen,
        (onB, vp, msr) => (onB, vp, msr)).SelectMany(t => ValueFor(t.msr).Select(value => new Op(OpKind.WriteMsr, t.onB, t.vp, 0, 0, 0, 0, t.msr, value, default)));

    private static readonly Gen<Op> OtherGen = Gen.Select(
        Gen.Frequency((3, Gen.Const(OpKind.ReadMsr)), (4, Gen.Const(OpKind.GuestConsumesMessage)), (2, Gen.Const(OpKind.GuestClearsFlags)),
            (1, Gen.Const(OpKind.SetActive)), (1, Gen.Const(OpKind.RemovePort)), (1, Gen.Const(OpKind.RestorePorts))),
        Gen.Bool, Gen.Int[0, VpCount - 1], MsrGen, Gen.UInt[0, 15],
        (kind, onB, vp, msr, index) => new Op(kind, onB, vp, 0, 0, 0, 0, msr, index, default));

    private static readonly Gen<Op> OpGen = Gen.Frequency((60, HypercallGen), (37, MsrWriteGen), (3, OtherGen));

    /// <summary>What a guest does at boot on every VP: SynIC pages, SINT0..3, SCONTROL, then its OS id and hypercall page.</summary>
    private static readonly Gen<ulong[]> SetUpGen = Gen.Select(
        PageInRamGen.Array[4], Gen.Byte[16, 255].Array[8], Gen.Frequency((8, Gen.Const(0UL)), (1, Gen.UInt[1, 7].Select(f => (ulong)f << 16))).Array[8],
        PageInRamGen,
        (pages, vectors, flags, hypercallPage) => (ulong[])[.. pages, .. vectors.Select((v, i) => v | flags[i]), hypercallPage]);

    // ---- running a scenario ---------------------------------------------------------------------------------------

    private sealed class Totals
    {
        public long Hypercalls;
        public long MsrWrites;
        public long MsrFaults;
        public long SintAssertions;
        public readonly Dictionary<HvStatus, long> ByStatus = [];
    }

    private sealed class Side(Partition partition, FakeGuestMemory memory, RecordingSintSink sink)
    {
        public Partition Partition { get; } = partition;

        public FakeGuestMemory Memory { get; } = memory;

        public RecordingSintSink Sink { get; } = sink;
    }

    private static void Run(int index, Scenario scenario, Totals totals)
    {
        Side a = NewSide(1, scenario.CallingA, scenario.PrivilegesA);
        Side b = NewSide(2, scenario.CallingB, scenario.PrivilegesB);
        RestorePorts(scenario, a, b);
        foreach (ConnectionSpec c in scenario.Connections)
        {
            Side owner = c.OnB ? b : a;
            if (!owner.Partition.TryGetConnection(c.Id, out _))
            {
                owner.Partition.AddConnection(c.Id, (c.ToB ? b : a).Partition, c.PortId);
            }
        }

        var pcg = new PCG(1, scenario.OperationSeed);
        foreach (Side side in new[] { a, b })
        {
            ulong[] setUp = SetUpGen.Generate(pcg, null!, out _);
            for (int vp = 0; vp < VpCount; vp++)
            {
                SetUpMsr(side, vp, HvMsr.Siefp, setUp[vp * 2] | 1, totals);
                SetUpMsr(side, vp, HvMsr.Simp, setUp[(vp * 2) + 1] | 1, totals);
                for (int sint = 0; sint < 4; sint++)
                {
                    SetUpMsr(side, vp, HvMsr.Sint0 + (uint)sint, setUp[4 + (vp * 4) + sint], totals);
                }

                SetUpMsr(side, vp, HvMsr.Scontrol, 1, totals);
            }

            SetUpMsr(side, 0, HvMsr.GuestOsId, 0x8100_0000_0000_0000UL, totals);
            SetUpMsr(side, 0, HvMsr.Hypercall, setUp[12] | 1, totals);
            CheckWrites(side);
        }

        for (int i = 0; i < OperationsPerScenario; i++)
        {
            Op op = OpGen.Generate(pcg, null!, out _);
            a.Memory.ClearWriteLog();
            b.Memory.ClearWriteLog();
            try
            {
                Apply(op, scenario, a, b, totals);
                CheckWrites(a);
                CheckWrites(b);
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"scenario {index}, operation {i}: {op} in {scenario}", e);
            }
        }

        foreach (Side side in new[] { a, b })
        {
            Assert.That(side.Sink.Assertions, Has.All.Matches<SintAssertion>(s => s.Vector >= 16 && s.VpIndex < VpCount), "asserted vectors");
            Assert.That(side.Partition.SintAssertionCount, Is.EqualTo(side.Sink.Count));
            totals.SintAssertions += side.Sink.Count;
            totals.MsrFaults += side.Partition.MsrFaultCount;
        }
    }

    private static void SetUpMsr(Side side, int vp, uint msr, ulong value, Totals totals)
    {
        totals.MsrWrites++;
        Assert.That(side.Partition.WriteMsr(vp, msr, value), Is.EqualTo(MsrAccess.Ok), $"set-up write of 0x{msr:X} = 0x{value:X}");
    }

    private static Side NewSide(ulong id, (HypercallConvention Convention, StatusProfile Profile) calling, PartitionPrivileges privileges)
    {
        var memory = new FakeGuestMemory(Ram);
        var sink = new RecordingSintSink();
        return new Side(new Partition(id, VpCount, privileges, calling.Convention, calling.Profile, memory, sink), memory, sink);
    }

    private static void RestorePorts(Scenario scenario, Side a, Side b)
    {
        foreach (PortSpec p in scenario.Ports)
        {
            Partition owner = (p.OnB ? b : a).Partition;
            if (owner.TryGetPort(p.Id, out _))
            {
                continue;
            }

            if (p.IsEvent)
            {
                owner.AddEventPort(p.Id, p.TargetVp, p.Sint, p.BaseFlag, p.FlagCount);
            }
            else
            {
                owner.AddMessagePort(p.Id, p.TargetVp, p.Sint);
            }
        }
    }

    private static void Apply(Op op, Scenario scenario, Side a, Side b, Totals totals)
    {
        Side side = op.OnB ? b : a;
        Partition partition = side.Partition;
        switch (op.Kind)
        {
            case OpKind.Hypercall:
                totals.Hypercalls++;
                HypercallRegisters registers = Registers(op, side);
                HypercallRegisters before = registers;
                HypercallOutcome outcome = partition.Hypercall(op.Vp, ref registers);
                Assert.That(s_statusesTheModelReturns, Does.Contain(outcome.Status), "a defined status");
                Assert.That(registers, Is.EqualTo(before with { Rax = outcome.Status.Value }), "only RAX changes, to the status");
                Assert.That(outcome.CallCode, Is.EqualTo((ushort)new HypercallInputValue(partition.Convention == HypercallConvention.Tlfs ? before.Rcx : before.Rax).CallCode));
                totals.ByStatus.TryAdd(outcome.Status, 0);
                totals.ByStatus[outcome.Status]++;
                break;
            case OpKind.WriteMsr:
                totals.MsrWrites++;
                Assert.That(partition.WriteMsr(op.Vp, op.Msr, op.Value), Is.AnyOf(MsrAccess.Ok, MsrAccess.GeneralProtection));
                break;
            case OpKind.ReadMsr:
                MsrAccess read = partition.ReadMsr(op.Vp, op.Msr, out ulong value);
                Assert.That(read == MsrAccess.Ok || value == 0, Is.True, "a faulting read returns 0");
                break;
            case OpKind.GuestConsumesMessage:
                SynicPageRegister simp = partition.Synic(op.Vp).Simp;
                if (simp.Enabled && simp.Gpa < Ram)
                {
                    side.Memory.AtomicAnd64(simp.Gpa + ((op.Value & 15) * 256), 0xFFFF_FFFF_0000_0000UL);
                }

                partition.WriteMsr(op.Vp, HvMsr.Eom, 0);
                break;
            case OpKind.GuestClearsFlags:
                SynicPageRegister siefp = partition.Synic(op.Vp).Siefp;
                if (siefp.Gpa < Ram)
                {
                    side.Memory.Fill(siefp.Gpa, 4096, 0);
                }

                break;
            case OpKind.SetActive:
                partition.IsActive = op.Value % 4 != 0; // active three times in four
                break;
            case OpKind.RemovePort:
                partition.RemovePort((uint)(op.Value % 13));
                break;
            case OpKind.RestorePorts:
                RestorePorts(scenario, a, b);
                break;
        }
    }

    private static HypercallRegisters Registers(Op op, Side side)
    {
        var input = new HypercallInputValue(op.Input);
        bool signal = input.CallCode == (ushort)HypercallCode.HvCallSignalEvent;

        // Put a plausible input block at the GPA, as a guest would, whenever it fits in RAM.
        if (signal && op.Gpa <= Ram - 8)
        {
            side.Memory.Poke64(op.Gpa, op.Block);
        }
        else if (!signal && op.Gpa <= Ram - HvPostMessageInput.Size)
        {
            byte[] block = new byte[HvPostMessageInput.Size];
            BinaryPrimitives.WriteUInt32LittleEndian(block, op.Post.ConnectionId);
            BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(4), op.Post.Reserved);
            BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(8), op.Post.MessageType);
            BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(12), op.Post.PayloadSize);
            block.AsSpan(16).Fill(op.Post.Fill);
            side.Memory.Poke(op.Gpa, block);
        }

        if (side.Partition.Convention == HypercallConvention.Tlfs)
        {
            return new HypercallRegisters { Rcx = op.Input, Rdx = input.IsFast ? op.Block : op.Gpa, R8 = OutputGpaFrom(op.Junk), Rax = op.Junk, Rbx = op.Junk };
        }

        if (signal)
        {
            // Mostly clean operands, sometimes with high bits from the junk word.
            ulong rbx = (uint)op.Block | ((op.Junk & 0xF) == 0 ? op.Junk & 0xFFFF_FFFF_0000_0000UL : 0);
            ulong rcx = (op.Block >> 32) | ((op.Junk & 0xF0) == 0 ? op.Junk & 0xFFFF_FFFF_FFFF_0000UL : 0);
            return new HypercallRegisters { Rax = op.Input, Rbx = rbx, Rcx = rcx, Rdx = op.Junk, R8 = op.Junk };
        }

        return new HypercallRegisters { Rax = op.Input, Rbx = input.IsFast ? op.Block : op.Gpa, Rcx = OutputGpaFrom(op.Junk), Rdx = op.Junk, R8 = op.Junk };
    }

    /// <summary>A slow call's output GPA: mostly 0 (what Linux passes), sometimes an aligned GPA in RAM, sometimes junk.</summary>
    private static ulong OutputGpaFrom(ulong junk) => (junk & 0xF) switch
    {
        < 10 => 0,
        < 14 => junk & (Ram - 8),
        _ => junk,
    };

    // ---- invariants -----------------------------------------------------------------------------------------------

    /// <summary>Every write the model made in this operation is a SIEF flag inside a port's range, a SIM slot delivery
    /// or MessagePending, or the hypercall page code, each in a page that is currently enabled.</summary>
    private static void CheckWrites(Side side)
    {
        Partition partition = side.Partition;
        foreach (MemoryWrite write in side.Memory.Writes)
        {
            bool ok = write.IsAtomicOr
                ? IsPendingFlag(partition, write) || IsPortFlag(partition, write)
                : IsSimDelivery(partition, write) || IsHypercallPage(partition, write);
            Assert.That(ok, Is.True, $"write {write} is outside every SIEF/SIM/hypercall page or port range");
        }
    }

    private static bool IsPortFlag(Partition partition, MemoryWrite write)
    {
        if (System.Numerics.BitOperations.PopCount(write.OrMask) != 1)
        {
            return false;
        }

        for (int vp = 0; vp < VpCount; vp++)
        {
            SynicPageRegister siefp = partition.Synic(vp).Siefp;
            if (!siefp.Enabled || write.Gpa < siefp.Gpa || write.Gpa + 8 > siefp.Gpa + 4096)
            {
                continue;
            }

            int offset = (int)(write.Gpa - siefp.Gpa);
            int sint = offset / 256;
            int flag = ((offset % 256) * 8) + System.Numerics.BitOperations.TrailingZeroCount(write.OrMask);
            for (uint id = 0; id <= 13; id++)
            {
                if (partition.TryGetPort(id, out Port? port) && port is EventPort ep && ep.TargetVp == vp && ep.TargetSint == sint
                    && flag >= ep.BaseFlagNumber && flag < ep.BaseFlagNumber + ep.FlagCount)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsPendingFlag(Partition partition, MemoryWrite write) =>
        write.OrMask == 1UL << 40 && SlotOf(partition, write.Gpa) >= 0;

    private static bool IsSimDelivery(Partition partition, MemoryWrite write) =>
        (write.Length == 252 && SlotOf(partition, write.Gpa - 4) >= 0) || (write.Length == 4 && SlotOf(partition, write.Gpa) >= 0);

    private static bool IsHypercallPage(Partition partition, MemoryWrite write) =>
        partition.HypercallPageGpa == write.Gpa && write.Length == partition.HypercallPageCode.Length;

    /// <summary>The SINT whose SIM slot starts at <paramref name="gpa"/> on some VP with its SIM enabled, else -1.</summary>
    private static int SlotOf(Partition partition, ulong gpa)
    {
        for (int vp = 0; vp < VpCount; vp++)
        {
            SynicPageRegister simp = partition.Synic(vp).Simp;
            if (simp.Enabled && gpa >= simp.Gpa && gpa < simp.Gpa + 4096 && (gpa - simp.Gpa) % 256 == 0)
            {
                return (int)((gpa - simp.Gpa) / 256);
            }
        }

        return -1;
    }
}

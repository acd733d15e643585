using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;

namespace HvBench.Hyperv.Tests.Properties;

/// <summary>Ten million random hypercalls, MSR writes and MSR reads, mixed with guest actions (flags taken, messages
/// consumed, ports removed, partitions deactivated), against two connected partitions (three VPs in the TLFS
/// convention, two in the rax convention), from a fixed seed: the model never throws, answers
/// every call with a defined status in RAX alone, agrees with an independent oracle on every HvSignalEvent (status,
/// flag, interrupt), accounts for every successful signal as a 0 → 1 flag with its SINT, a flag already set
/// (coalesced), a polling SINT's flag, or a flag dropped because the SIEF page lies outside RAM, reads back what it
/// accepted, and writes guest memory only inside enabled SIEF, SIM and hypercall pages.</summary>
/// <remarks>
/// A plain seeded loop, not a CsCheck generator, so ten million inputs take seconds: <see cref="RandomHypercallsAndMsrWrites"/>
/// keeps CsCheck's generators (random configurations as well as operations), this one the volume. The count is of
/// inputs to the model's dispatcher and MSR handlers; guest actions come on top. A soak run sets <c>HVBENCH_SOAK_MODEL_INPUTS</c> (and optionally
/// <c>HVBENCH_SOAK_MODEL_SEED</c>, decimal or 0x-hex) and runs this test alone (docs/reliability.md). A failure names
/// the input number and the seed, which replay it.
/// </remarks>
[TestFixture]
[Category("Unit")]
public sealed class TenMillionRandomHypercallsAndMsrAccesses
{
    private const long DefaultInputs = 10_000_000;
    private const ulong DefaultSeed = 0x4876_4265_6E63_6837;
    private const ulong Ram = 0x10000;                  // 16 pages per partition; pages 16 and 17 are outside RAM
    private const ushort SignalEventCode = 0x5D, PostMessageCode = 0x5C;

    private static readonly HashSet<HvStatus> s_definedStatuses =
    [
        HvStatus.Success, HvStatus.InvalidHypercallCode, HvStatus.InvalidHypercallInput, HvStatus.InvalidAlignment,
        HvStatus.InvalidParameter, HvStatus.AccessDenied, HvStatus.InvalidVpIndex, HvStatus.InvalidPortId,
        HvStatus.InvalidConnectionId, HvStatus.InsufficientBuffers, HvStatus.InvalidSynicState,
    ];

    [Test]
    public void NeverThrowAgreeWithTheOracleAndAccountForEverySignal()
    {
        long inputs = long.TryParse(Environment.GetEnvironmentVariable("HVBENCH_SOAK_MODEL_INPUTS"), out long soak) && soak > 0 ? soak : DefaultInputs;
        ulong seed = ParseSeed(Environment.GetEnvironmentVariable("HVBENCH_SOAK_MODEL_SEED")) ?? DefaultSeed;
        var world = new World(seed);
        var clock = Stopwatch.StartNew();
        for (long i = 0; world.Totals.ModelInputs < inputs; i++)
        {
            try
            {
                world.Step();
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"input {i:N0} of seed 0x{seed:X}, {world.LastInput}: {e.Message}", e);
            }
        }

        clock.Stop();
        Totals t = world.Totals;
        TestContext.Out.WriteLine($"{inputs:N0} model inputs (seed 0x{seed:X}) in {clock.Elapsed.TotalSeconds:0.0} s: {t.Hypercalls:N0} hypercalls, " +
            $"{t.MsrWrites:N0} MSR writes ({t.MsrFaults:N0} #GP), {t.MsrReads:N0} MSR reads, {t.GuestActions:N0} guest actions");
        TestContext.Out.WriteLine($"HvSignalEvent: {t.SignalSuccesses:N0} SUCCESS = {t.FlagsRaised:N0} flags 0→1 with a SINT + {t.Coalesced:N0} coalesced + " +
            $"{t.Polled:N0} to a polling SINT + {t.Dropped:N0} dropped outside RAM; {t.SignalFailures:N0} refused");
        foreach ((HvStatus status, long count) in t.ByStatus.OrderBy(p => p.Key.Value))
        {
            TestContext.Out.WriteLine($"  {status.Name,-36} {count,12:N0}");
        }

        world.CheckTotals();
        Assert.Multiple(() =>
        {
            Assert.That(t.ModelInputs, Is.EqualTo(inputs), "one hypercall or MSR access per input");
            Assert.That(t.GuestActions, Is.Positive);
            Assert.That(t.SignalSuccesses, Is.EqualTo(t.FlagsRaised + t.Coalesced + t.Polled + t.Dropped), "every successful signal accounted for");
            Assert.That(t.ByStatus.Keys, Is.EquivalentTo(s_definedStatuses), "the stream reaches every status the model returns");
            Assert.That(new[] { t.FlagsRaised, t.Coalesced, t.Polled, t.Dropped, t.MsrFaults }, Has.All.Positive, "the stream reaches every outcome");
        });
    }

    private static ulong? ParseSeed(string? text) =>
        text is null ? null
        : text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? ulong.Parse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
        : ulong.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>A cheap check for the hot loop; the caller's catch adds which input broke it.</summary>
    private static void Require(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException(what);
        }
    }

    /// <summary>The last input, kept as values and formatted only for a failure message.</summary>
    private readonly record struct LastStep(string What, ulong Partition, int Vp, HypercallRegisters Registers = default, uint Msr = 0, ulong Value = 0)
    {
        public override string ToString() => What switch
        {
            "WRMSR" => $"WRMSR 0x{Msr:X} = 0x{Value:X} on partition {Partition} VP{Vp}",
            "RDMSR" => $"RDMSR 0x{Msr:X} on partition {Partition} VP{Vp}",
            _ when Registers.Rax != 0 || Registers.Rcx != 0 => $"{What} on partition {Partition} VP{Vp}: RAX=0x{Registers.Rax:X} RBX=0x{Registers.Rbx:X} " +
                $"RCX=0x{Registers.Rcx:X} RDX=0x{Registers.Rdx:X} R8=0x{Registers.R8:X}",
            _ => $"{What} on partition {Partition} VP{Vp}",
        };
    }

    private sealed class Totals
    {
        public long Hypercalls, MsrWrites, MsrFaults, MsrReads, GuestActions;

        /// <summary>Inputs to the dispatcher and the MSR handlers (guest actions are not).</summary>
        public long ModelInputs => Hypercalls + MsrWrites + MsrReads;
        public long SignalSuccesses, SignalFailures, FlagsRaised, Coalesced, Polled, Dropped;
        public readonly Dictionary<HvStatus, long> ByStatus = [];
    }

    /// <summary>SplitMix64: tiny, fast and the same on every .NET version, so a seed replays anywhere.</summary>
    private struct Rng(ulong seed)
    {
        private ulong _state = seed;

        public ulong Next()
        {
            ulong z = _state += 0x9E37_79B9_7F4A_7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EBUL;
            return z ^ (z >> 31);
        }

        /// <summary>0 … <paramref name="n"/> − 1.</summary>
        public int Below(int n) => (int)(Next() % (ulong)n);

        public bool OneIn(int n) => Below(n) == 0;
    }

    /// <summary>One partition with its RAM and SINT sink.</summary>
    private sealed class Side
    {
        public Side(ulong id, int vps, HypercallConvention convention)
        {
            Memory = new CheckedMemory(Ram);
            Sints = new CountingSink();
            Partition = new Partition(id, vps, PartitionPrivileges.SignalEvents | PartitionPrivileges.PostMessages, convention, StatusProfile.Tlfs, Memory, Sints);
            Memory.Owner = Partition;
        }

        public Partition Partition { get; }

        public CheckedMemory Memory { get; }

        public CountingSink Sints { get; }
    }

    private sealed class World
    {
        private readonly Side _a = new(1, 3, HypercallConvention.Tlfs);
        private readonly Side _b = new(2, 2, HypercallConvention.Rax);
        private Rng _rng;
        private long _dropped;

        public World(ulong seed)
        {
            _rng = new Rng(seed);
            AddPorts();
            Connect(_a, 1, _a, 1);
            Connect(_a, 2, _a, 2);
            Connect(_a, 3, _a, 3);
            Connect(_a, 4, _a, 4);
            Connect(_a, 5, _a, 5);
            Connect(_a, 6, _a, 6);
            Connect(_a, 7, _b, 1);
            Connect(_a, 8, _b, 2);
            Connect(_a, 9, _a, 99);                     // a port nobody creates
            Connect(_b, 1, _b, 1);
            Connect(_b, 2, _b, 2);
            Connect(_b, 3, _a, 1);
            Connect(_b, 4, _a, 5);
            foreach (Side side in new[] { _a, _b })
            {
                for (int vp = 0; vp < side.Partition.VpCount; vp++)
                {
                    Write(side, vp, HvMsr.Siefp, ((ulong)(2 * vp) << 12) | 1);
                    Write(side, vp, HvMsr.Simp, ((ulong)((2 * vp) + 1) << 12) | 1);
                    for (uint sint = 0; sint < 4; sint++)
                    {
                        Write(side, vp, HvMsr.Sint0 + sint, 0x40 + (ulong)(vp * 4) + sint);
                    }

                    Write(side, vp, HvMsr.Scontrol, 1);
                }

                Write(side, 0, HvMsr.GuestOsId, 0x8100_0000_0000_0000UL);
                Write(side, 0, HvMsr.Hypercall, (15UL << 12) | 1);
            }
        }

        public Totals Totals { get; } = new();

        /// <summary>What the last step did, for a failure message (formatted only when needed: no allocation per step).</summary>
        public string LastInput => _last.ToString();

        private LastStep _last;

        public void Step()
        {
            Side side = _rng.Below(10) < 7 ? _a : _b;
            int vp = _rng.Below(side.Partition.VpCount);
            _a.Memory.BeginOperation();
            _b.Memory.BeginOperation();
            int kind = _rng.Below(100);
            switch (kind)
            {
                case < 50:
                    SignalEvent(side, vp, fast: true);
                    break;
                case < 57:
                    SignalEvent(side, vp, fast: false);
                    break;
                case < 64:
                    PostMessage(side, vp);
                    break;
                case < 67:
                    Noise(side, vp);
                    break;
                case < 84:
                    WriteMsr(side, vp);
                    break;
                case < 89:
                    ReadMsr(side, vp);
                    break;
                default:
                    GuestAction(side, vp, kind);
                    break;
            }

            _a.Memory.CheckWrites();
            _b.Memory.CheckWrites();
        }

        public void CheckTotals()
        {
            foreach (Side side in new[] { _a, _b })
            {
                Assert.That(side.Partition.SintAssertionCount, Is.EqualTo(side.Sints.Count), $"partition {side.Partition.Id}: SINTs counted = SINTs raised");
            }

            Assert.That(_a.Partition.DroppedFlagCount + _b.Partition.DroppedFlagCount, Is.EqualTo(_dropped), "dropped flags counted by the model");
        }

        // ---- inputs -----------------------------------------------------------------------------------------------

        private void SignalEvent(Side side, int vp, bool fast)
        {
            ulong input = SignalEventCode | (fast ? HypercallInputValue.FastBit : 0);
            if (_rng.OneIn(64))
            {
                input |= 1UL << (17 + _rng.Below(47));  // varhdr, rep count, rep start or a reserved bit
            }

            ulong block = ConnectionId(side, events: true) | ((ulong)FlagNumber() << 32);
            if (_rng.OneIn(64))
            {
                block |= 1UL << (24 + _rng.Below(8)) << (_rng.OneIn(2) ? 0 : 24); // RsvdZ bits 24..31 or 48..55
            }

            ulong gpa = 0;
            if (!fast)
            {
                gpa = InputGpa(8);
                if ((gpa & 7) == 0 && gpa <= Ram - 8)
                {
                    side.Memory.Poke64(gpa, block);
                }
            }

            HypercallRegisters registers = side.Partition.Convention == HypercallConvention.Tlfs
                ? new HypercallRegisters { Rax = _rng.Next(), Rbx = _rng.Next(), Rcx = input, Rdx = fast ? block : gpa, R8 = OutputGpa() }
                : new HypercallRegisters
                {
                    Rax = input,
                    Rbx = (uint)block | (_rng.OneIn(64) ? 1UL << (32 + _rng.Below(32)) : 0),
                    Rcx = (block >> 32) | (_rng.OneIn(64) ? 1UL << (16 + _rng.Below(48)) : 0),
                    Rdx = _rng.Next(),
                    R8 = _rng.Next(),
                };
            _last = new LastStep("HvSignalEvent", side.Partition.Id, vp, registers);
            Expected expected = Oracle(side, registers);
            ulong wordBefore = expected.Word is { } word && word + 8 <= Ram ? expected.Owner!.Memory.Peek64(word) : 0;
            long sintsBefore = expected.Owner?.Sints.Count ?? 0;
            long droppedBefore = expected.Owner?.Partition.DroppedFlagCount ?? 0;

            HvStatus status = Call(side, vp, ref registers);
            Require(status == expected.Status, $"status {status.Name}, the oracle says {expected.Status.Name}");
            if (!status.IsSuccess)
            {
                Totals.SignalFailures++;
                Require(side.Memory.Writes + Other(side).Memory.Writes == 0, "a refused signal writes nothing");
                return;
            }

            Totals.SignalSuccesses++;
            Side owner = expected.Owner!;
            ulong mask = expected.Mask;
            if (expected.Word!.Value + 8 > Ram)
            {
                Totals.Dropped++;
                _dropped++;
                Require(owner.Partition.DroppedFlagCount - droppedBefore == 1, "a flag outside RAM is counted as dropped");
                Require(owner.Sints.Count == sintsBefore, "a dropped flag raises no SINT");
                return;
            }

            Require((owner.Memory.Peek64(expected.Word.Value) & mask) == mask, "the flag is set");
            long raised = owner.Sints.Count - sintsBefore;
            if ((wordBefore & mask) != 0)
            {
                Totals.Coalesced++;
                Require(raised == 0, "a signal to a flag already set raises no SINT");
            }
            else if (expected.Polling)
            {
                Totals.Polled++;
                Require(raised == 0, "a polling SINT is never raised");
            }
            else
            {
                Totals.FlagsRaised++;
                Require(raised == 1, "a 0 → 1 flag raises its SINT once");
                Require(owner.Sints.LastVector == expected.Vector && owner.Sints.LastVp == expected.TargetVp, "the SINT goes to the port's VP with its vector");
            }
        }

        private void PostMessage(Side side, int vp)
        {
            ulong input = PostMessageCode | (_rng.OneIn(32) ? HypercallInputValue.FastBit : 0) | (_rng.OneIn(64) ? 1UL << (17 + _rng.Below(47)) : 0);
            ulong gpa = InputGpa(256);
            if ((gpa & 7) == 0 && gpa <= Ram - 256)
            {
                Span<byte> block = stackalloc byte[256];
                BinaryPrimitives.WriteUInt32LittleEndian(block, (uint)ConnectionId(side, events: false));
                BinaryPrimitives.WriteUInt32LittleEndian(block[4..], _rng.OneIn(32) ? (uint)_rng.Next() : 0);
                BinaryPrimitives.WriteUInt32LittleEndian(block[8..], _rng.Below(16) switch { 0 => 0, 1 => (uint)_rng.Next(), _ => 1 + (uint)_rng.Below(4) });
                BinaryPrimitives.WriteUInt32LittleEndian(block[12..], _rng.OneIn(16) ? (uint)_rng.Next() : (uint)_rng.Below(241));
                block[16..].Fill((byte)_rng.Next());
                side.Memory.Poke(gpa, block);
            }

            HypercallRegisters registers = side.Partition.Convention == HypercallConvention.Tlfs
                ? new HypercallRegisters { Rax = _rng.Next(), Rbx = _rng.Next(), Rcx = input, Rdx = gpa, R8 = OutputGpa() }
                : new HypercallRegisters { Rax = input, Rbx = gpa, Rcx = OutputGpa(), Rdx = _rng.Next(), R8 = _rng.Next() };
            _last = new LastStep("HvPostMessage", side.Partition.Id, vp, registers);
            Call(side, vp, ref registers);
        }

        private void Noise(Side side, int vp)
        {
            var registers = new HypercallRegisters { Rax = _rng.Next(), Rbx = _rng.Next(), Rcx = _rng.Next(), Rdx = _rng.Next(), R8 = _rng.Next() };
            if (_rng.OneIn(2))
            {
                // A plausible call code with noise everywhere else.
                ushort code = _rng.OneIn(2) ? SignalEventCode : PostMessageCode;
                if (side.Partition.Convention == HypercallConvention.Tlfs)
                {
                    registers.Rcx = (registers.Rcx & ~0xFFFFUL) | code;
                }
                else
                {
                    registers.Rax = (registers.Rax & ~0xFFFFUL) | code;
                }
            }

            _last = new LastStep("a hypercall of random registers", side.Partition.Id, vp, registers);
            Call(side, vp, ref registers);
        }

        private void WriteMsr(Side side, int vp)
        {
            uint msr = _rng.Below(20) switch
            {
                < 6 => HvMsr.Sint0 + (uint)_rng.Below(4),
                6 => HvMsr.Sint0 + (uint)_rng.Below(16),
                7 or 8 => HvMsr.Siefp,
                9 or 10 => HvMsr.Simp,
                11 => HvMsr.Scontrol,
                12 or 13 => HvMsr.Eom,
                14 => HvMsr.GuestOsId,
                15 => HvMsr.Hypercall,
                16 or 17 => HvMsr.RangeFirst + (uint)_rng.Below(256),
                18 => (uint)_rng.Next(),
                _ => HvMsr.VpIndex,
            };
            ulong value = _rng.Below(8) switch
            {
                0 => _rng.Next(),
                1 => (ulong)_rng.Below(4),
                _ => msr switch
                {
                    HvMsr.Siefp or HvMsr.Simp or HvMsr.Hypercall => ((ulong)(uint)_rng.Below(18) << 12) | (uint)_rng.Below(4),
                    >= HvMsr.Sint0 and <= HvMsr.Sint15 => (uint)_rng.Below(256) | ((_rng.OneIn(4) ? (ulong)(uint)_rng.Below(8) : 0) << 16),
                    HvMsr.Scontrol => _rng.OneIn(8) ? 0UL : 1UL,
                    HvMsr.GuestOsId => _rng.OneIn(8) ? 0UL : _rng.Next() | 1,
                    _ => 0,
                },
            };
            _last = new LastStep("WRMSR", side.Partition.Id, vp, default, msr, value);
            Totals.MsrWrites++;
            MsrAccess access = side.Partition.WriteMsr(vp, msr, value);
            if (access != MsrAccess.Ok)
            {
                Require(access == MsrAccess.GeneralProtection, "an MSR write is accepted or #GPs");
                Totals.MsrFaults++;
                return;
            }

            Require(HvMsr.IsSynthetic(msr), "only the synthetic range is the model's");
            if (msr is HvMsr.Siefp or HvMsr.Simp or HvMsr.Scontrol or HvMsr.GuestOsId or (>= HvMsr.Sint0 and <= HvMsr.Sint15))
            {
                Require(side.Partition.ReadMsr(vp, msr, out ulong back) == MsrAccess.Ok && back == value, "an MSR reads back what it accepted");
            }
        }

        private void ReadMsr(Side side, int vp)
        {
            uint msr = _rng.OneIn(4) ? (uint)_rng.Next() : HvMsr.RangeFirst + (uint)_rng.Below(256);
            _last = new LastStep("RDMSR", side.Partition.Id, vp, default, msr);
            Totals.MsrReads++;
            MsrAccess access = side.Partition.ReadMsr(vp, msr, out ulong value);
            Require(access == MsrAccess.Ok || (access == MsrAccess.GeneralProtection && value == 0), "a read is a value or a #GP with 0");
            Require(msr != HvMsr.VpIndex || value == (ulong)vp, "VP_INDEX reads the VP index");
        }

        /// <summary>What a guest does between calls: takes flags, consumes a message, and the VMM's reconfigurations.</summary>
        private void GuestAction(Side side, int vp, int kind)
        {
            Totals.GuestActions++;
            SynicState synic = side.Partition.Synic(vp);
            switch (kind)
            {
                case < 95:
                    // Take (test-and-clear) one word of flags, as a SINT handler does.
                    _last = new LastStep("the guest takes a word of flags", side.Partition.Id, vp);
                    ulong word = synic.Siefp.Gpa + (ulong)(_rng.Below(512) * 8);
                    if (word + 8 <= Ram)
                    {
                        side.Memory.Exchange64(word, 0);
                    }

                    break;
                case < 98:
                    // Consume the message in a SIM slot: MessageType 0, then EOM.
                    _last = new LastStep("the guest consumes a message", side.Partition.Id, vp);
                    ulong slot = synic.Simp.Gpa + (ulong)(_rng.Below(16) * 256);
                    if (slot + 256 <= Ram)
                    {
                        side.Memory.Poke32(slot, 0);
                    }

                    side.Partition.WriteMsr(vp, HvMsr.Eom, 0);
                    break;
                case 98:
                    _last = new LastStep("the VMM removes or restores ports", side.Partition.Id, vp);
                    if (_rng.OneIn(4))
                    {
                        side.Partition.RemovePort((uint)_rng.Below(7));
                    }
                    else
                    {
                        AddPorts();
                    }

                    break;
                default:
                    _last = new LastStep("the VMM changes the partition's state or privileges", side.Partition.Id, vp);
                    if (_rng.OneIn(2))
                    {
                        side.Partition.IsActive = !_rng.OneIn(8);
                    }
                    else
                    {
                        side.Partition.Privileges = _rng.Below(8) switch
                        {
                            0 => PartitionPrivileges.SignalEvents,
                            1 => PartitionPrivileges.PostMessages,
                            _ => PartitionPrivileges.SignalEvents | PartitionPrivileges.PostMessages,
                        };
                    }

                    break;
            }
        }

        // ---- the oracle -------------------------------------------------------------------------------------------

        private readonly record struct Expected(HvStatus Status, Side? Owner = null, ulong? Word = null, ulong Mask = 0, bool Polling = false, byte Vector = 0, int TargetVp = 0);

        /// <summary>What HvSignalEvent must do, worked out from the registers and the partitions' public state in the
        /// order of tlfs.md section 9 item 1 (written apart from the model, so that the two check each other).</summary>
        private Expected Oracle(Side side, in HypercallRegisters r)
        {
            Partition caller = side.Partition;
            bool tlfs = caller.Convention == HypercallConvention.Tlfs;
            ulong input = tlfs ? r.Rcx : r.Rax;
            if ((caller.Privileges & PartitionPrivileges.SignalEvents) == 0)
            {
                return new(HvStatus.AccessDenied);
            }

            // Reserved bits of the input value: 27..31, 44..47, 60..63; then varhdr (17..26), rep count (32..43), rep start (48..59).
            if ((input & 0xF000_F000_F800_0000UL) != 0 || (input & 0x0FFF_0FFF_07FE_0000UL) != 0)
            {
                return new(HvStatus.InvalidHypercallInput);
            }

            bool fast = (input & (1UL << 16)) != 0;
            ulong block;
            if (!tlfs)
            {
                if ((r.Rbx >> 32) != 0 || (r.Rcx >> 16) != 0)
                {
                    return new(HvStatus.InvalidHypercallInput);
                }

                block = (uint)r.Rbx | ((r.Rcx & 0xFFFF) << 32);
            }
            else if (fast)
            {
                block = r.Rdx;
            }
            else
            {
                if ((r.Rdx & 7) != 0 || r.Rdx > Ram - 8)
                {
                    return new(HvStatus.InvalidAlignment);
                }

                block = side.Memory.Peek64(r.Rdx);

                // The empty output block: 8-aligned and inside RAM, checked right after the input GPA.
                if ((r.R8 & 7) != 0 || r.R8 >= Ram)
                {
                    return new(HvStatus.InvalidAlignment);
                }
            }

            if ((block & 0xFFFF_0000_FF00_0000UL) != 0)
            {
                return new(HvStatus.InvalidHypercallInput);
            }

            if (!caller.TryGetConnection((uint)block, out Connection? connection))
            {
                return new(HvStatus.InvalidConnectionId);
            }

            Side owner = connection.PortPartition == _a.Partition ? _a : _b;
            if (!owner.Partition.TryGetPort(connection.PortId, out Port? port) || !owner.Partition.IsActive || port is not EventPort eventPort)
            {
                return new(HvStatus.InvalidPortId);
            }

            int flagNumber = (ushort)(block >> 32);
            if (flagNumber >= eventPort.FlagCount)
            {
                return new(HvStatus.InvalidParameter);
            }

            if (eventPort.TargetVp >= owner.Partition.VpCount)
            {
                return new(HvStatus.InvalidVpIndex);
            }

            SynicState synic = owner.Partition.Synic(eventPort.TargetVp);
            SintRegister sint = synic.Sint(eventPort.TargetSint);
            if ((synic.Scontrol.Raw & 1) == 0 || (synic.Siefp.Raw & 1) == 0 || (sint.Raw & (1UL << 16)) != 0)
            {
                return new(HvStatus.InvalidSynicState);
            }

            // Flag k of SINT n: bit k % 8 of byte n * 256 + k / 8 of the page (TLFS "SynIC Event Flags Page").
            int flag = eventPort.BaseFlagNumber + flagNumber;
            ulong byteAddress = (synic.Siefp.Raw & ~0xFFFUL) + (ulong)(eventPort.TargetSint * 256) + (ulong)(flag / 8);
            ulong word = byteAddress & ~7UL;
            ulong mask = 1UL << (int)(((byteAddress & 7) * 8) + (ulong)(flag % 8));
            return new(HvStatus.Success, owner, word, mask, (sint.Raw & (1UL << 18)) != 0, (byte)sint.Raw, eventPort.TargetVp);
        }

        // ---- helpers ----------------------------------------------------------------------------------------------

        private HvStatus Call(Side side, int vp, ref HypercallRegisters registers)
        {
            Totals.Hypercalls++;
            HypercallRegisters before = registers;
            HypercallOutcome outcome = side.Partition.Hypercall(vp, ref registers);
            HvStatus status = outcome.Status;
            Require(s_definedStatuses.Contains(status), "a defined status");
            Require(registers.Rax == status.Value && registers.Rbx == before.Rbx && registers.Rcx == before.Rcx && registers.Rdx == before.Rdx
                && registers.R8 == before.R8, "only RAX changes, to the status");

            ref long count = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(Totals.ByStatus, status, out _);
            count++;
            return status;
        }

        private Side Other(Side side) => side == _a ? _b : _a;

        /// <summary>Mostly a connection to one of the side's kind of port, sometimes any of its connections or none.</summary>
        private ulong ConnectionId(Side side, bool events) => _rng.Below(16) switch
        {
            < 10 => side == _a ? (events ? s_aEvents : s_aMessages)[_rng.Below(events ? 4 : 3)] : (events ? s_bEvents : s_bMessages)[_rng.Below(2)],
            < 13 => 1 + (ulong)_rng.Below(side == _a ? 9 : 4),
            13 => (ulong)_rng.Below(0x100_0000),
            14 => (uint)_rng.Next(),
            _ => 0,
        };

        private static readonly ulong[] s_aEvents = [1, 2, 3, 7], s_aMessages = [5, 6, 8], s_bEvents = [1, 3], s_bMessages = [2, 4];

        private ushort FlagNumber() => _rng.Below(8) switch
        {
            < 4 => (ushort)_rng.Below(8),
            < 6 => (ushort)_rng.Below(70),
            6 => (ushort)_rng.Below(2100),
            _ => (ushort)_rng.Next(),
        };

        /// <summary>A slow call's input GPA: mostly an aligned block in RAM, sometimes unaligned, across a page or outside RAM.</summary>
        private ulong InputGpa(int blockSize) => _rng.Below(16) switch
        {
            < 12 => ((ulong)_rng.Below(16) << 12) + ((ulong)_rng.Below((4096 - blockSize) / 8) * 8),
            12 => ((ulong)_rng.Below(16) << 12) + (ulong)_rng.Below(4096),
            13 => ((ulong)_rng.Below(16) << 12) + 4096 - 8,
            14 => Ram + ((ulong)_rng.Below(4) * 8),
            _ => _rng.Next(),
        };

        /// <summary>A slow call's output GPA: mostly 0 (what Linux passes) or an aligned GPA in RAM, sometimes unaligned or
        /// anything at all.</summary>
        private ulong OutputGpa() => _rng.Below(16) switch
        {
            < 10 => 0,
            < 14 => ((ulong)_rng.Below(16) << 12) + ((ulong)_rng.Below(512) * 8),
            14 => ((ulong)_rng.Below(16) << 12) + 1 + (ulong)_rng.Below(7),
            _ => _rng.Next(),
        };

        private void AddPorts()
        {
            TryAddEvent(_a, 1, targetVp: 0, sint: 0, baseFlag: 0, count: 64);
            TryAddEvent(_a, 2, targetVp: 1, sint: 1, baseFlag: 100, count: 30);
            TryAddEvent(_a, 3, targetVp: 2, sint: 3, baseFlag: 2040, count: 8);
            TryAddEvent(_a, 4, targetVp: 7, sint: 0, baseFlag: 0, count: 4);      // a VP the partition does not have
            TryAddMessage(_a, 5, targetVp: 0, sint: 2);
            TryAddMessage(_a, 6, targetVp: 2, sint: 1);
            TryAddEvent(_b, 1, targetVp: 1, sint: 0, baseFlag: 0, count: 16);
            TryAddMessage(_b, 2, targetVp: 0, sint: 3);
        }

        private static void TryAddEvent(Side side, uint id, int targetVp, int sint, ushort baseFlag, ushort count)
        {
            if (!side.Partition.TryGetPort(id, out _))
            {
                side.Partition.AddEventPort(id, targetVp, sint, baseFlag, count);
            }
        }

        private static void TryAddMessage(Side side, uint id, int targetVp, int sint)
        {
            if (!side.Partition.TryGetPort(id, out _))
            {
                side.Partition.AddMessagePort(id, targetVp, sint);
            }
        }

        private static void Connect(Side from, uint id, Side to, uint portId) => from.Partition.AddConnection(id, to.Partition, portId);

        private static void Write(Side side, int vp, uint msr, ulong value) =>
            Require(side.Partition.WriteMsr(vp, msr, value) == MsrAccess.Ok, $"set-up WRMSR 0x{msr:X} = 0x{value:X}");
    }

    /// <summary>Counts SINTs and remembers the last one.</summary>
    private sealed class CountingSink : ISintSink
    {
        public long Count { get; private set; }

        public byte LastVector { get; private set; }

        public int LastVp { get; private set; }

        public void AssertSint(int vpIndex, byte vector, bool autoEoi)
        {
            Count++;
            LastVector = vector;
            LastVp = vpIndex;
            Require(vector >= 16, "a SINT vector below 16 is never raised");
        }
    }

    /// <summary>Guest RAM that checks, after each operation, that every write the model made lies in an enabled SIEF
    /// page (a flag: an atomic OR of one bit), a SIM slot (a message, or MessagePending by atomic OR) or the hypercall
    /// page (its code), at the moment the operation ended.</summary>
    private sealed class CheckedMemory(ulong size) : IGuestMemoryAccess
    {
        private readonly byte[] _bytes = new byte[size];
        private readonly (ulong Gpa, int Length, ulong Mask)[] _writes = new (ulong, int, ulong)[64];

        public Partition Owner { get; set; } = null!;

        public ulong Size => size;

        /// <summary>Writes the model made since <see cref="BeginOperation"/>.</summary>
        public int Writes { get; private set; }

        public void BeginOperation() => Writes = 0;

        public bool TryRead(ulong gpa, Span<byte> destination)
        {
            if (!Inside(gpa, destination.Length))
            {
                return false;
            }

            _bytes.AsSpan((int)gpa, destination.Length).CopyTo(destination);
            return true;
        }

        public bool TryWrite(ulong gpa, ReadOnlySpan<byte> source)
        {
            if (!Inside(gpa, source.Length))
            {
                return false;
            }

            Record(gpa, source.Length, 0);
            source.CopyTo(_bytes.AsSpan((int)gpa));
            return true;
        }

        public bool TryAtomicOr64(ulong gpa, ulong mask, out ulong previous)
        {
            if ((gpa & 7) != 0 || !Inside(gpa, 8))
            {
                previous = 0;
                return false;
            }

            Record(gpa, 8, mask);
            previous = BinaryPrimitives.ReadUInt64LittleEndian(_bytes.AsSpan((int)gpa));
            BinaryPrimitives.WriteUInt64LittleEndian(_bytes.AsSpan((int)gpa), previous | mask);
            return true;
        }

        public ulong Peek64(ulong gpa) => BinaryPrimitives.ReadUInt64LittleEndian(_bytes.AsSpan((int)gpa));

        public void Poke64(ulong gpa, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(_bytes.AsSpan((int)gpa), value);

        public void Poke32(ulong gpa, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(_bytes.AsSpan((int)gpa), value);

        public void Poke(ulong gpa, ReadOnlySpan<byte> source) => source.CopyTo(_bytes.AsSpan((int)gpa));

        public ulong Exchange64(ulong gpa, ulong value)
        {
            ulong previous = Peek64(gpa);
            Poke64(gpa, value);
            return previous;
        }

        public void CheckWrites()
        {
            for (int i = 0; i < Writes; i++)
            {
                (ulong gpa, int length, ulong mask) = _writes[i];
                bool ok = mask != 0
                    ? (System.Numerics.BitOperations.PopCount(mask) == 1 && InSiefPage(gpa)) || (mask == 1UL << 40 && IsSimSlot(gpa))
                    : (length == 252 && IsSimSlot(gpa - 4)) || (length == 4 && IsSimSlot(gpa))
                      || (Owner.HypercallPageGpa == gpa && length == Owner.HypercallPageCode.Length);
                Require(ok, $"partition {Owner.Id} wrote {length} bytes (mask 0x{mask:X}) at 0x{gpa:X}, outside every enabled SIEF, SIM or hypercall page");
            }
        }

        private void Record(ulong gpa, int length, ulong mask)
        {
            Require(Writes < _writes.Length, "at most 64 writes in one operation");

            _writes[Writes++] = (gpa, length, mask);
        }

        private bool InSiefPage(ulong gpa)
        {
            for (int vp = 0; vp < Owner.VpCount; vp++)
            {
                SynicPageRegister siefp = Owner.Synic(vp).Siefp;
                if (siefp.Enabled && gpa >= siefp.Gpa && gpa + 8 <= siefp.Gpa + 4096)
                {
                    return true;
                }
            }

            return false;
        }

        private bool IsSimSlot(ulong gpa)
        {
            for (int vp = 0; vp < Owner.VpCount; vp++)
            {
                SynicPageRegister simp = Owner.Synic(vp).Simp;
                if (simp.Enabled && gpa >= simp.Gpa && gpa < simp.Gpa + 4096 && (gpa - simp.Gpa) % 256 == 0)
                {
                    return true;
                }
            }

            return false;
        }

        private bool Inside(ulong gpa, int length) => gpa <= size && (ulong)length <= size - gpa;
    }
}

using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace HvBench.Hyperv;

/// <summary>A Hyper-V partition as HvBench models it: privileges, VPs with their SynICs, ports, connections, the
/// synthetic MSRs and CPUID leaves, and the hypercall entry point (design.md "Layers", item 2).</summary>
/// <remarks>
/// Pure C#: it sees guest RAM only through <see cref="IGuestMemoryAccess"/> and raises interrupts only through
/// <see cref="ISintSink"/>. <see cref="Hypercall"/>, <see cref="ReadMsr"/> and <see cref="WriteMsr"/> may be called
/// from every vCPU thread at once; ports and connections may be added and removed while VPs run. The signalling path
/// takes no lock: the port and connection tables are immutable snapshots, replaced under a lock on mutation and read
/// with <see cref="Volatile"/>. Guest mistakes are statuses or <see cref="MsrAccess.GeneralProtection"/>; only VMM
/// mistakes (a bad VP index, a duplicate id) throw.
/// </remarks>
public sealed partial class Partition
{
    private readonly SynicState[] _vps;
    private readonly ISintSink _sints;
    private readonly Lock _configLock = new();
    private readonly long[] _statusCounts = new long[256];
    private Dictionary<uint, Port> _ports = [];
    private Dictionary<uint, Connection> _connections = [];
    private ulong _privileges;
    private volatile bool _isActive = true;
    private long _sintAssertions;
    private long _msrFaults;
    private long _droppedFlags;
    private long _droppedMessages;

    /// <summary>Creates a partition with <paramref name="vpCount"/> VPs, all SynIC registers at their reset values.</summary>
    /// <param name="id">Partition id, for traces and multi-partition set-ups.</param>
    /// <param name="vpCount">Number of VPs (1 or more); VP indexes are 0 … <paramref name="vpCount"/> − 1.</param>
    /// <param name="privileges">The partition privilege mask (CPUID 0x40000003 EBX in the high half).</param>
    /// <param name="convention">The register convention of this partition's hypercalls.</param>
    /// <param name="statusProfile">Which statuses this partition's hypercalls answer with.</param>
    /// <param name="memory">This partition's guest RAM.</param>
    /// <param name="sints">Where SINT interrupts for this partition's VPs go.</param>
    public Partition(ulong id, int vpCount, PartitionPrivileges privileges, HypercallConvention convention,
        StatusProfile statusProfile, IGuestMemoryAccess memory, ISintSink sints)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(vpCount, 1);
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentNullException.ThrowIfNull(sints);
        if (convention is not (HypercallConvention.Tlfs or HypercallConvention.Rax))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(convention), convention, "Unknown hypercall convention.");
        }

        if (statusProfile is not (StatusProfile.Tlfs or StatusProfile.KvmCompat))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(statusProfile), statusProfile, "Unknown status profile.");
        }

        Id = id;
        VpCount = vpCount;
        Convention = convention;
        StatusProfile = statusProfile;
        Memory = memory;
        _sints = sints;
        _privileges = (ulong)privileges;
        _vps = new SynicState[vpCount];
        for (int vp = 0; vp < vpCount; vp++)
        {
            _vps[vp] = new SynicState(this, vp);
        }

        _cpuid = BuildCpuidLeaves(vpCount, privileges);
    }

    /// <summary>Partition id.</summary>
    public ulong Id { get; }

    /// <summary>Number of VPs.</summary>
    public int VpCount { get; }

    /// <summary>The hypercall register convention of this partition's guest.</summary>
    public HypercallConvention Convention { get; }

    /// <summary>Which statuses this partition's hypercalls answer with.</summary>
    public StatusProfile StatusProfile { get; }

    /// <summary>The partition privilege mask; changing it also changes CPUID 0x40000003 EBX.</summary>
    public PartitionPrivileges Privileges
    {
        get => (PartitionPrivileges)Volatile.Read(ref _privileges);
        set
        {
            lock (_configLock)
            {
                Volatile.Write(ref _privileges, (ulong)value);
                Volatile.Write(ref _cpuid, BuildCpuidLeaves(VpCount, value));
            }
        }
    }

    /// <summary>True while the partition is in the "active" state; ports of an inactive partition give
    /// <c>HV_STATUS_INVALID_PORT_ID</c> (tlfs.md section 3.1).</summary>
    public bool IsActive
    {
        get => _isActive;
        set => _isActive = value;
    }

    /// <summary>SINT assertions made to this partition's VPs so far.</summary>
    public long SintAssertionCount => Interlocked.Read(ref _sintAssertions);

    /// <summary>MSR accesses answered with #GP so far (every index the VMM passes in that the model does not implement).</summary>
    public long MsrFaultCount => Interlocked.Read(ref _msrFaults);

    /// <summary>Successful signals to this partition's ports whose flag was dropped: the target VP's SIEF page lies
    /// outside RAM (tlfs.md section 6: such a page is "just not accessible"), or, under
    /// <see cref="StatusProfile.KvmCompat"/>, the port, its VP or their SynIC could not take it.</summary>
    public long DroppedFlagCount => Interlocked.Read(ref _droppedFlags);

    /// <summary>Accepted messages to this partition's ports that were dropped because the target VP's SIM page lies
    /// outside RAM.</summary>
    public long DroppedMessageCount => Interlocked.Read(ref _droppedMessages);

    /// <summary>Hypercalls made by this partition's VPs so far, all statuses.</summary>
    public long HypercallCount
    {
        get
        {
            long total = 0;
            foreach (HvStatus status in HvStatus.All)
            {
                total += GetHypercallCount(status);
            }

            return total;
        }
    }

    internal IGuestMemoryAccess Memory { get; }

    /// <summary>Hypercalls made by this partition's VPs that returned <paramref name="status"/>.</summary>
    public long GetHypercallCount(HvStatus status) =>
        status.Value < _statusCounts.Length ? Interlocked.Read(ref _statusCounts[status.Value]) : 0;

    /// <summary>The SynIC registers of VP <paramref name="vpIndex"/> (a live, read-only view).</summary>
    public SynicState Synic(int vpIndex)
    {
        CheckVpIndex(vpIndex);
        return _vps[vpIndex];
    }

    /// <summary>Runs the hypercall in <paramref name="registers"/> for VP <paramref name="vpIndex"/>, decoded per
    /// <see cref="Convention"/>, and writes the result value into <see cref="HypercallRegisters.Rax"/>.</summary>
    /// <remarks>The VMM raises #UD instead of calling this outside CPL 0 in 64-bit mode (tlfs.md section 1.3) and while
    /// <see cref="AcceptsHypercalls"/> is false.
    /// A fast <c>HvCallSignalEvent</c> allocates nothing and takes no lock.</remarks>
    public HypercallOutcome Hypercall(int vpIndex, ref HypercallRegisters registers)
    {
        CheckVpIndex(vpIndex);
        HypercallOutcome outcome = Convention == HypercallConvention.Rax
            ? HypercallDispatcher.Dispatch(this, new RaxHypercallRegisters(registers))
            : HypercallDispatcher.Dispatch(this, new TlfsHypercallRegisters(registers));
        registers.Rax = outcome.ResultValue;

        // Every status the model returns is below 0x100 (tlfs.md section 2).
        Interlocked.Increment(ref _statusCounts[(byte)outcome.Status.Value]);
        return outcome;
    }

    /// <summary>Adds an event port owned by this partition.</summary>
    /// <param name="portId">Port id, 0 … 0xFFFFFF, unique in this partition.</param>
    /// <param name="targetVp">VP that receives (0 or more; an index beyond <see cref="VpCount"/> is allowed and gives
    /// <c>HV_STATUS_INVALID_VP_INDEX</c> when signalled), or <see cref="Port.AnyVp"/>.</param>
    /// <param name="targetSint">SINT 0 … 15 whose SIEF slot holds the flags.</param>
    /// <param name="baseFlagNumber">First flag of the port within the SINT's 2048 flags.</param>
    /// <param name="flagCount">Number of flags, 1 or more, with base + count ≤ 2048.</param>
    public EventPort AddEventPort(uint portId, int targetVp, int targetSint, ushort baseFlagNumber, ushort flagCount)
    {
        CheckPortTarget(portId, targetVp == Port.AnyVp ? 0 : targetVp, targetSint);
        if (flagCount == 0 || baseFlagNumber + flagCount > EventPort.FlagsPerSint)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(flagCount), flagCount, "Need 1 or more flags with baseFlagNumber + flagCount <= 2048.");
        }

        var port = new EventPort(this, portId, targetVp, targetSint, baseFlagNumber, flagCount);
        AddPort(port);
        return port;
    }

    /// <summary>Adds a message port owned by this partition, with 16 message buffers.</summary>
    /// <param name="portId">Port id, 0 … 0xFFFFFF, unique in this partition.</param>
    /// <param name="targetVp">VP that receives (an index beyond <see cref="VpCount"/> is allowed, see <see cref="AddEventPort"/>).</param>
    /// <param name="targetSint">SINT 0 … 15 whose SIM slot receives the messages.</param>
    public MessagePort AddMessagePort(uint portId, int targetVp, int targetSint)
    {
        CheckPortTarget(portId, targetVp, targetSint);
        var port = new MessagePort(this, portId, targetVp, targetSint);
        lock (_configLock)
        {
            CheckPortIdIsFree(portId);
            if (targetVp < VpCount)
            {
                // Room for the port's buffers in its SINT's queue before anyone can post to it, so no post allocates.
                _vps[targetVp].Messages.ReserveForPort(targetSint);
            }

            PublishPort(port);
        }

        return port;
    }

    /// <summary>Deletes a port; connections to it stay but become stale. Queued messages of a message port are dropped.</summary>
    /// <returns>False if there was no such port.</returns>
    public bool RemovePort(uint portId)
    {
        Port? removed;
        lock (_configLock)
        {
            Dictionary<uint, Port> ports = _ports;
            if (!ports.TryGetValue(portId, out removed))
            {
                return false;
            }

            var copy = new Dictionary<uint, Port>(ports);
            copy.Remove(portId);
            Volatile.Write(ref _ports, copy);
        }

        if (removed is MessagePort { TargetVp: var vp } messagePort && vp < VpCount)
        {
            _vps[vp].Messages.RemovePort(messagePort);
        }

        return true;
    }

    /// <summary>Adds a connection owned by this (sending) partition to port <paramref name="portId"/> of
    /// <paramref name="portPartition"/>, which may be this partition or another. The port need not exist yet.</summary>
    /// <param name="connectionId">Connection id the guest passes, 0 … 0xFFFFFF, unique in this partition.</param>
    /// <param name="portPartition">The partition that owns the port.</param>
    /// <param name="portId">The port id, looked up at every call.</param>
    public Connection AddConnection(uint connectionId, Partition portPartition, uint portId)
    {
        ArgumentNullException.ThrowIfNull(portPartition);
        if (connectionId > Connection.MaxId)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(connectionId), connectionId, "Connection ids are 24 bits (0 … 0xFFFFFF).");
        }

        if (portId > Port.MaxId)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(portId), portId, "Port ids are 24 bits (0 … 0xFFFFFF).");
        }

        var connection = new Connection(connectionId, portPartition, portId);
        lock (_configLock)
        {
            Dictionary<uint, Connection> connections = _connections;
            if (connections.ContainsKey(connectionId))
            {
                ThrowHelper.ThrowDuplicate(nameof(connectionId), "Connection", connectionId);
            }

            Volatile.Write(ref _connections, new Dictionary<uint, Connection>(connections) { [connectionId] = connection });
        }

        return connection;
    }

    /// <summary>Deletes a connection of this partition.</summary>
    /// <returns>False if there was no such connection.</returns>
    public bool RemoveConnection(uint connectionId)
    {
        lock (_configLock)
        {
            Dictionary<uint, Connection> connections = _connections;
            if (!connections.ContainsKey(connectionId))
            {
                return false;
            }

            var copy = new Dictionary<uint, Connection>(connections);
            copy.Remove(connectionId);
            Volatile.Write(ref _connections, copy);
            return true;
        }
    }

    /// <summary>Looks up a port of this partition (lock-free).</summary>
    public bool TryGetPort(uint portId, [NotNullWhen(true)] out Port? port) =>
        Volatile.Read(ref _ports).TryGetValue(portId, out port);

    /// <summary>Looks up a connection of this partition (lock-free).</summary>
    public bool TryGetConnection(uint connectionId, [NotNullWhen(true)] out Connection? connection) =>
        Volatile.Read(ref _connections).TryGetValue(connectionId, out connection);

    /// <summary>Retries delivery of queued messages to VP <paramref name="vpIndex"/>, as an EOM write does. The VMM may
    /// call it when the guest EOIs a SINT vector (tlfs.md section 6.2 step 4).</summary>
    public void RescanMessageQueues(int vpIndex)
    {
        CheckVpIndex(vpIndex);
        SynicMessageQueue messages = _vps[vpIndex].Messages;
        int delivered = 0;
        messages.Rescan(ref delivered);
        messages.AssertDelivered(delivered);
    }

    internal SynicState SynicOf(int vpIndex) => _vps[vpIndex];

    internal void CountDroppedFlag() => Interlocked.Increment(ref _droppedFlags);

    internal void CountDroppedMessage() => Interlocked.Increment(ref _droppedMessages);

    /// <summary>Asserts <paramref name="sint"/>'s vector on VP <paramref name="vpIndex"/> and counts it.</summary>
    internal void RaiseSint(int vpIndex, SintRegister sint)
    {
        Interlocked.Increment(ref _sintAssertions);
        _sints.AssertSint(vpIndex, sint.Vector, sint.AutoEoi);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CheckVpIndex(int vpIndex)
    {
        if ((uint)vpIndex >= (uint)VpCount)
        {
            ThrowHelper.ThrowVpIndexOutOfRange(vpIndex, VpCount);
        }
    }

    private static void CheckPortTarget(uint portId, int targetVp, int targetSint)
    {
        if (portId > Port.MaxId)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(portId), portId, "Port ids are 24 bits (0 … 0xFFFFFF).");
        }

        if (targetVp < 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(targetVp), targetVp,
                "VP index must not be negative (Port.AnyVp, HV_ANY_VP, is for event ports only).");
        }

        if ((uint)targetSint >= SynicState.SintCount)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(targetSint), targetSint, "SINT must be 0 … 15.");
        }
    }

    private void AddPort(Port port)
    {
        lock (_configLock)
        {
            CheckPortIdIsFree(port.PortId);
            PublishPort(port);
        }
    }

    /// <summary>Throws for a port id already in use. Caller holds the configuration lock.</summary>
    private void CheckPortIdIsFree(uint portId)
    {
        if (_ports.ContainsKey(portId))
        {
            ThrowHelper.ThrowDuplicate("portId", "Port", portId);
        }
    }

    /// <summary>Makes <paramref name="port"/> visible to lock-free lookups. Caller holds the configuration lock.</summary>
    private void PublishPort(Port port) =>
        Volatile.Write(ref _ports, new Dictionary<uint, Port>(_ports) { [port.PortId] = port });
}

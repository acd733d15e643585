namespace HvBench.Vmm.Intercepts;

/// <summary>The VMCALL sites the breakpoint intercept watches: the image's direct VMCALLs and the hypercall page, at
/// most four. Every VP must carry the same breakpoints (a VP without them takes #UD: host-kvm.md), so a change bumps
/// <see cref="Version"/> and each VP applies it on its own thread before it re-enters the guest.</summary>
internal sealed class BreakpointSites
{
    private readonly Lock _lock = new();
    private readonly ulong[] _direct;
    private ulong[] _all;
    private ulong? _hypercallPage;
    private int _version;

    public BreakpointSites(IReadOnlyList<ulong> directSites)
    {
        if (directSites.Count > InterceptProbe.BreakpointSlots)
            throw new MachineException(
                $"the image has {directSites.Count} direct VMCALL sites ({string.Join(", ", directSites.Select(s => $"0x{s:x}"))}); " +
                $"the breakpoint intercept reaches at most {InterceptProbe.BreakpointSlots} (DR0..DR3): call the hypercall page instead");
        _direct = [.. directSites];
        _all = _direct;
    }

    /// <summary>Bumped on every change.</summary>
    public int Version => Volatile.Read(ref _version);

    /// <summary>The current sites (an immutable snapshot).</summary>
    public ulong[] All => Volatile.Read(ref _all);

    /// <summary>True when <paramref name="address"/> is a site.</summary>
    public bool Contains(ulong address)
    {
        foreach (ulong site in All) if (site == address) return true;
        return false;
    }

    /// <summary>Moves the hypercall page's site (null: the page was disabled). Returns false when all four debug
    /// registers already hold direct sites.</summary>
    public bool SetHypercallPage(ulong? address)
    {
        lock (_lock)
        {
            if (_hypercallPage == address) return true;
            if (address is not null && _direct.Length >= InterceptProbe.BreakpointSlots) return false;
            _hypercallPage = address;
            Volatile.Write(ref _all, address is { } page ? [.. _direct, page] : _direct);
            Interlocked.Increment(ref _version);
            return true;
        }
    }
}

using HvBench.Guest.Images.Bench;
using HvBench.Guest.Runtime;
using HvBench.Vmm.Intercepts;

namespace HvBench.Bench;

/// <summary>Every figure <c>hvbench bench</c> knows, in report order, and the selection of <c>--figures</c>.</summary>
public static class BenchCatalogue
{
    /// <summary>The lowest floor: the cost of the timing itself.</summary>
    public const string TimerOverhead = "timer-overhead";

    /// <summary>A bare port-I/O exit to user space: the floor of every exit the VMM handles.</summary>
    public const string PortIoExit = "port-io-exit";

    /// <summary>The figures for machines whose hypercall page is <paramref name="page"/>. With the default VMCALL page, a
    /// third machine measures the I/O-port page too, for comparison.</summary>
    public static IReadOnlyList<BenchFigure> Create(HypercallPageKind page = HypercallPageKind.Vmcall)
    {
        var tlfs = new BenchMachineKey(HypercallConvention.Tlfs, page);
        var figures = new List<BenchFigure>
        {
            new() { Id = TimerOverhead, Title = "empty lfence;rdtsc pair (timing overhead)", Machine = tlfs, Step = new(BenchStepKind.TimerOverhead) },
            new() { Id = PortIoExit, Title = "port-I/O exit, out 0x80 (no device)", FloorId = TimerOverhead, Machine = tlfs, Step = new(BenchStepKind.PortIoExit) },
            new() { Id = "msr-write", Title = "filtered synthetic-MSR write (wrmsr SINT15)", FloorId = PortIoExit, Machine = tlfs, Step = new(BenchStepKind.MsrWrite) },
        };
        foreach (var convention in new[] { HypercallConvention.Tlfs, HypercallConvention.Rax })
        {
            var machine = new BenchMachineKey(convention, page);
            foreach (var route in new[] { HypercallRoute.Page, HypercallRoute.DirectVmcall })
                AddHypercallFigures(figures, machine, route);
        }

        string pageRoute = BenchNames.Route(HypercallRoute.Page, page);
        string nullFloor = $"null-hypercall.tlfs.{pageRoute}";
        figures.Add(new() { Id = $"signal-already-set.tlfs.{pageRoute}", Title = "HvSignalEvent, flag already set (no interrupt)", FloorId = nullFloor,
            Relation = FloorRelation.Near, Machine = tlfs, Step = new(BenchStepKind.SignalAlreadySet) });
        figures.Add(new() { Id = $"signal-masked-sint.tlfs.{pageRoute}", Title = "HvSignalEvent to a masked SINT", FloorId = nullFloor,
            Relation = FloorRelation.Near, Machine = tlfs, Step = new(BenchStepKind.SignalMaskedSint) });
        figures.Add(new() { Id = $"post-message-round-trip.tlfs.{pageRoute}", Title = "HvPostMessage round trip (caller)", FloorId = nullFloor,
            Machine = tlfs, Step = new(BenchStepKind.PostMessage) });
        figures.Add(new() { Id = $"post-message-to-handler.tlfs.{pageRoute}", Title = "HvPostMessage: VP0 before the call -> VP1 handler", FloorId = nullFloor,
            Relation = FloorRelation.Compare, Machine = tlfs, Step = new(BenchStepKind.PostMessage), SeriesInStep = 1 });
        figures.Add(new() { Id = $"signal-throughput.tlfs.{pageRoute}", Title = "free-running HvSignalEvent VP0 -> VP1 (interval per signal)", FloorId = nullFloor,
            Machine = tlfs, Step = new(BenchStepKind.SignalThroughput) });

        if (page == HypercallPageKind.Vmcall)
            AddHypercallFigures(figures, new BenchMachineKey(HypercallConvention.Tlfs, HypercallPageKind.Io), HypercallRoute.Page);
        return figures;
    }

    private static void AddHypercallFigures(List<BenchFigure> figures, BenchMachineKey machine, HypercallRoute route)
    {
        string suffix = $"{BenchNames.Of(machine.Convention)}.{BenchNames.Route(route, machine.Page)}";
        string how = route == HypercallRoute.DirectVmcall ? "direct VMCALL" : machine.Page == HypercallPageKind.Io ? "I/O-port page" : "VMCALL page";
        string conv = BenchNames.Of(machine.Convention);
        string nullId = $"null-hypercall.{suffix}";
        figures.Add(new() { Id = nullId, Title = $"null hypercall (unknown code), {how}, {conv}", FloorId = PortIoExit,
            Machine = machine, Step = new(BenchStepKind.NullHypercall, route) });
        figures.Add(new() { Id = $"signal-round-trip.{suffix}", Title = $"HvSignalEvent round trip, {how}, {conv}", FloorId = nullId,
            Machine = machine, Step = new(BenchStepKind.SignalRoundTrip, route) });
        figures.Add(new() { Id = $"signal-one-way.{suffix}", Title = $"HvSignalEvent one way: VP0 before the call -> VP1 handler, {how}, {conv}", FloorId = nullId,
            Relation = FloorRelation.Compare, Machine = machine, Step = new(BenchStepKind.SignalRoundTrip, route), SeriesInStep = 1 });
    }

    /// <summary>The figures <paramref name="patterns"/> name (an id, or a prefix ending at a dot: <c>signal-round-trip</c>,
    /// <c>signal-round-trip.rax</c>; <c>all</c> or none for all), with their floors, in catalogue order.</summary>
    /// <exception cref="ArgumentException">A pattern that names no figure; the message lists the ids.</exception>
    public static IReadOnlyList<BenchFigure> Select(IReadOnlyList<BenchFigure> catalogue, IReadOnlyList<string>? patterns)
    {
        if (patterns is null || patterns.Count == 0 || patterns.Contains("all")) return catalogue;
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (string pattern in patterns)
        {
            bool any = false;
            foreach (BenchFigure figure in catalogue)
            {
                if (figure.Id == pattern || figure.Id.StartsWith(pattern + ".", StringComparison.Ordinal))
                {
                    any = true;
                    for (BenchFigure? f = figure; f is not null && wanted.Add(f.Id); f = catalogue.FirstOrDefault(c => c.Id == f.FloorId)) { }
                }
            }
            if (!any)
                throw new ArgumentException($"--figures: '{pattern}' names no figure; the figures are: {string.Join(", ", catalogue.Select(f => f.Id))}");
        }
        return [.. catalogue.Where(f => wanted.Contains(f.Id))];
    }
}

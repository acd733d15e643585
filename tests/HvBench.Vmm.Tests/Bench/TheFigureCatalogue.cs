using HvBench.Bench;
using HvBench.Guest.Images.Bench;
using HvBench.Vmm.Intercepts;

namespace HvBench.Vmm.Tests.Bench;

/// <summary>The figures <c>hvbench bench</c> knows, their floors, and how a selection becomes bench machines.</summary>
[TestFixture, Category("Unit")]
public sealed class TheFigureCatalogue
{
    [Test]
    public void HasUniqueIdsAndEveryFloorComesFirst()
    {
        foreach (HypercallPageKind page in Enum.GetValues<HypercallPageKind>())
        {
            var figures = BenchCatalogue.Create(page);
            Assert.That(figures.Select(f => f.Id), Is.Unique);
            for (int i = 0; i < figures.Count; i++)
                if (figures[i].FloorId is { } floor)
                    Assert.That(figures.Take(i).Select(f => f.Id), Does.Contain(floor), $"{figures[i].Id}'s floor is measured before it");
        }
    }

    [Test]
    public void MeasuresTheIoPortPageBesideTheVmcallPageOnlyWhenVmcallIsTheDefault()
    {
        Assert.That(BenchCatalogue.Create(HypercallPageKind.Vmcall).Select(f => f.Id), Does.Contain("signal-round-trip.tlfs.io-page"));
        var io = BenchCatalogue.Create(HypercallPageKind.Io);
        Assert.That(io.Select(f => f.Id), Does.Contain("signal-round-trip.tlfs.io-page"));
        Assert.That(io.Select(f => f.Id), Has.None.EqualTo("signal-round-trip.tlfs.page"));
        Assert.That(io.Select(f => f.Machine.Name).Distinct(), Is.EqualTo(new[] { "tlfs-io-page", "rax-io-page" }));
    }

    [Test]
    public void SelectsAPrefixWithEveryFloorBelowIt()
    {
        var selected = BenchCatalogue.Select(BenchCatalogue.Create(), ["signal-round-trip.rax.direct"]);
        Assert.That(selected.Select(f => f.Id), Is.EqualTo(new[]
        {
            BenchCatalogue.TimerOverhead, BenchCatalogue.PortIoExit, "null-hypercall.rax.direct", "signal-round-trip.rax.direct",
        }));
    }

    [Test]
    public void RefusesAPatternThatNamesNoFigure()
    {
        var e = Assert.Throws<ArgumentException>(() => BenchCatalogue.Select(BenchCatalogue.Create(), ["signal-round"]))!;
        Assert.That(e.Message, Does.StartWith("--figures: 'signal-round' names no figure; the figures are: timer-overhead, port-io-exit"));
    }

    [Test]
    public void RunsOneGuestStepForTheRoundTripAndTheOneWayLatency()
    {
        var plans = BenchMachinePlan.Create(BenchCatalogue.Select(BenchCatalogue.Create(), ["signal-one-way.tlfs.page", "signal-round-trip.tlfs.page"]), 100, 10);
        Assert.That(plans, Has.Count.EqualTo(1));
        Assert.That(plans[0].Guest.Steps, Is.EqualTo(new[]
        {
            new BenchStep(BenchStepKind.TimerOverhead), new BenchStep(BenchStepKind.PortIoExit),
            new BenchStep(BenchStepKind.NullHypercall), new BenchStep(BenchStepKind.SignalRoundTrip),
        }));
        Assert.That(plans[0].Figures.Select(f => (f.Figure.Id, f.Series)), Is.EqualTo(new[]
        {
            (BenchCatalogue.TimerOverhead, 0), (BenchCatalogue.PortIoExit, 1), ("null-hypercall.tlfs.page", 2),
            ("signal-round-trip.tlfs.page", 3), ("signal-one-way.tlfs.page", 4),
        }));
    }

    [Test]
    public void SummarisesSamplesWithPerfolizersQuantiles()
    {
        double[] values = [.. Enumerable.Range(1, 1001).Select(i => (double)i)];
        var s = LatencyStatistics.Of(values);
        Assert.That((s.Min, s.Median, s.P90, s.P99, s.P999, s.Max, s.Mean), Is.EqualTo((1.0, 501.0, 901.0, 991.0, 1000.0, 1001.0, 501.0)));
    }
}

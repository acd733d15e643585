using HvBench.Guest.Images;
using HvBench.Vmm.Tests.Machines;
using GuestConvention = HvBench.Guest.Runtime.Convention;

namespace HvBench.Vmm.Tests.Hyperv;

/// <summary>Each HvSignalEvent status of the seed page, returned to real guest code, in both register conventions.</summary>
[TestFixture, Category("Kvm")]
public sealed class EveryHvSignalEventStatusFromGuestCode
{
    /// <summary>The ports and connections of <see cref="StatusCodesGuest.PortLayout"/>.</summary>
    private static void StatusScenario(Machine machine)
    {
        Partition p = machine.Hyperv;
        p.AddEventPort(1, targetVp: 0, targetSint: 2, baseFlagNumber: 0, flagCount: 64);
        p.AddMessagePort(2, targetVp: 0, targetSint: 3);
        p.AddEventPort(3, targetVp: 5, targetSint: 2, baseFlagNumber: 0, flagCount: 64);
        p.AddEventPort(4, targetVp: 0, targetSint: 3, baseFlagNumber: 0, flagCount: 64);
        p.AddConnection(7, p, 1);
        p.AddConnection(8, p, 2);
        p.AddConnection(9, p, 77);
        p.AddConnection(10, p, 3);
        p.AddConnection(11, p, 4);
    }

    private static HypercallConvention ModelConvention(GuestConvention c) => c == GuestConvention.Rax ? HypercallConvention.Rax : HypercallConvention.Tlfs;

    [TestCase(GuestConvention.Tlfs)]
    [TestCase(GuestConvention.Rax)]
    [CancelAfter(60_000)]
    public void AreReturnedAsTheTlfsSays(GuestConvention convention, CancellationToken token)
    {
        RunResult result = GuestRun.Boot(StatusCodesGuest.Build(convention), token: token, setup: StatusScenario,
            convention: ModelConvention(convention));
        Assert.That(result.Verdict, Is.EqualTo("PASS"), result.ConsoleText);
        var expected = new List<string>
        {
            "HV_STATUS_SUCCESS", "HV_STATUS_INVALID_HYPERCALL_CODE", "HV_STATUS_INVALID_HYPERCALL_INPUT", "HV_STATUS_INVALID_PARAMETER",
            "HV_STATUS_INVALID_VP_INDEX", "HV_STATUS_INVALID_PORT_ID", "HV_STATUS_INVALID_CONNECTION_ID", "HV_STATUS_INVALID_SYNIC_STATE",
        };
        if (convention == GuestConvention.Tlfs) expected.Add("HV_STATUS_INVALID_ALIGNMENT");
        Assert.That(result.Statistics.HypercallsByStatus.Keys, Is.EquivalentTo(expected));
    }

    [TestCase(GuestConvention.Tlfs)]
    [TestCase(GuestConvention.Rax)]
    [CancelAfter(60_000)]
    public void AccessDeniedIsReturnedWithoutTheSignalEventsPrivilege(GuestConvention convention, CancellationToken token)
    {
        RunResult result = GuestRun.Boot(StatusCodesGuest.Build(convention, accessDenied: true), token: token, setup: StatusScenario,
            convention: ModelConvention(convention), privileges: PartitionPrivileges.PostMessages);
        Assert.That(result.Verdict, Is.EqualTo("PASS"), result.ConsoleText);
        Assert.That(result.Statistics.HypercallsByStatus, Is.EquivalentTo(new Dictionary<string, long> { ["HV_STATUS_ACCESS_DENIED"] = 1 }));
    }
}

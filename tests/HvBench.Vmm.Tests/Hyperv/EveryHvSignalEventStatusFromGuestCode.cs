using HvBench.Guest.Images;
using HvBench.Vmm.Tests.Machines;
using GuestConvention = HvBench.Guest.Runtime.Convention;

namespace HvBench.Vmm.Tests.Hyperv;

/// <summary>Each HvSignalEvent status of the seed page, returned to real guest code, in both register conventions.</summary>
[TestFixture, Category("Kvm")]
public sealed class EveryHvSignalEventStatusFromGuestCode
{
    private static HypercallConvention ModelConvention(GuestConvention c) => c == GuestConvention.Rax ? HypercallConvention.Rax : HypercallConvention.Tlfs;

    [TestCase(GuestConvention.Tlfs)]
    [TestCase(GuestConvention.Rax)]
    [CancelAfter(60_000)]
    public void AreReturnedAsTheTlfsSays(GuestConvention convention, CancellationToken token)
    {
        RunResult result = GuestRun.Boot(StatusCodesGuest.Build(convention), token: token, setup: GuestRun.StatusScenario,
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
        RunResult result = GuestRun.Boot(StatusCodesGuest.Build(convention, accessDenied: true), token: token, setup: GuestRun.StatusScenario,
            convention: ModelConvention(convention), privileges: PartitionPrivileges.PostMessages);
        Assert.That(result.Verdict, Is.EqualTo("PASS"), result.ConsoleText);
        Assert.That(result.Statistics.HypercallsByStatus, Is.EquivalentTo(new Dictionary<string, long> { ["HV_STATUS_ACCESS_DENIED"] = 1 }));
    }
}

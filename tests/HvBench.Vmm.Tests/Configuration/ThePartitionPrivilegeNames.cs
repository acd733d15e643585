using HvBench.Vmm.Configuration;

namespace HvBench.Vmm.Tests.Configuration;

/// <summary>The privilege table against tlfs.md section 7 (CPUID 0x40000003 EAX = bits 0..31, EBX = bits 32..63).</summary>
[TestFixture]
[Category("Unit")]
public sealed class ThePartitionPrivilegeNames
{
    [TestCase(PartitionPrivileges.AccessVpRunTimeReg, 0)]
    [TestCase(PartitionPrivileges.AccessPartitionReferenceCounter, 1)]
    [TestCase(PartitionPrivileges.AccessSynicRegs, 2)]
    [TestCase(PartitionPrivileges.AccessSyntheticTimerRegs, 3)]
    [TestCase(PartitionPrivileges.AccessIntrCtrlRegs, 4)]
    [TestCase(PartitionPrivileges.AccessHypercallMsrs, 5)]
    [TestCase(PartitionPrivileges.AccessVpIndex, 6)]
    [TestCase(PartitionPrivileges.AccessResetReg, 7)]
    [TestCase(PartitionPrivileges.AccessStatsReg, 8)]
    [TestCase(PartitionPrivileges.AccessPartitionReferenceTsc, 9)]
    [TestCase(PartitionPrivileges.AccessGuestIdleReg, 10)]
    [TestCase(PartitionPrivileges.AccessFrequencyRegs, 11)]
    [TestCase(PartitionPrivileges.AccessReenlightenmentControls, 13)]
    [TestCase(PartitionPrivileges.AccessTscInvariantControls, 15)]
    [TestCase(PartitionPrivileges.CreatePartitions, 32 + 0)]
    [TestCase(PartitionPrivileges.AccessPartitionId, 32 + 1)]
    [TestCase(PartitionPrivileges.AccessMemoryPool, 32 + 2)]
    [TestCase(PartitionPrivileges.AdjustMessageBuffers, 32 + 3)]
    [TestCase(PartitionPrivileges.PostMessages, 32 + 4)]
    [TestCase(PartitionPrivileges.SignalEvents, 32 + 5)]
    [TestCase(PartitionPrivileges.CreatePort, 32 + 6)]
    [TestCase(PartitionPrivileges.ConnectPort, 32 + 7)]
    [TestCase(PartitionPrivileges.AccessStats, 32 + 8)]
    [TestCase(PartitionPrivileges.Debugging, 32 + 11)]
    [TestCase(PartitionPrivileges.CpuManagement, 32 + 12)]
    [TestCase(PartitionPrivileges.EnableExtendedHypercalls, 32 + 20)]
    public void AreTheTlfsBits(PartitionPrivileges privilege, int bit) => Assert.That((ulong)privilege, Is.EqualTo(1UL << bit));

    [Test]
    public void AreEachOneBit()
    {
        foreach (PartitionPrivileges privilege in Enum.GetValues<PartitionPrivileges>().Where(p => p != PartitionPrivileges.None))
        {
            Assert.That(ulong.PopCount((ulong)privilege), Is.EqualTo(1), privilege.ToString());
        }
    }

    [Test]
    public void AreEachADifferentBit()
    {
        PartitionPrivileges[] values = Enum.GetValues<PartitionPrivileges>();
        Assert.That(values.Distinct().Count(), Is.EqualTo(values.Length));
    }
}

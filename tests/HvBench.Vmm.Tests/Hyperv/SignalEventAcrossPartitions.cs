using HvBench.Guest.Images;
using HvBench.Tests;
using HvBench.Vmm.Tests.Machines;

namespace HvBench.Vmm.Tests.Hyperv;

/// <summary>Two partitions in one process (two KVM VMs): a connection of partition 1 targets a port owned by
/// partition 2, and partition 2's VP takes the SINT.</summary>
[TestFixture, Category("Kvm")]
public sealed class SignalEventAcrossPartitions
{
    [Test, CancelAfter(60_000)]
    public void SetsTheFlagInTheOtherPartitionAndInterruptsItsVp(CancellationToken token)
    {
        KvmRequirement.Require();
        const ulong memory = 64UL << 20;
        using var sender = Machine.Create(new MachineConfig
        {
            Image = GuestRun.Parse(CrossPartitionGuests.BuildSender(), memory, 1, "sender.elf"),
            PartitionId = 1,
            Timeout = TimeSpan.FromSeconds(30),
        });
        using var receiver = Machine.Create(new MachineConfig
        {
            Image = GuestRun.Parse(CrossPartitionGuests.BuildReceiver(), memory, 1, "receiver.elf"),
            PartitionId = 2,
        });
        receiver.Hyperv.AddEventPort(1, targetVp: 0, targetSint: 2, baseFlagNumber: 0, flagCount: 8);
        sender.Hyperv.AddConnection(7, receiver.Hyperv, 1);

        RunResult result = Machine.RunTogether([sender, receiver], token);

        Assert.That(result.Verdict, Is.EqualTo("PASS"), result.ConsoleText);
        Assert.That(result.Reason, Does.Contain("P2 VP0 wrote 0"));
        // Partition 1 prints only after its call returns, which may be after partition 2 has ended the run.
        Assert.That(result.ConsoleText, Does.Contain("--- partition 2 ---\npartition 2: SINT2 with flag 0 set"));
        Assert.That(receiver.Hyperv.SintAssertionCount, Is.EqualTo(1));
        Assert.That(sender.Hyperv.GetHypercallCount(HvStatus.Success), Is.EqualTo(1));
    }
}

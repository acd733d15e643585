using HvBench.Hyperv.Tests.Support;

namespace HvBench.Hyperv.Tests.Hypercalls;

/// <summary>The HvSignalEvent check order of tlfs.md section 9 item 1, as a table: every pair of faults, applied
/// together, must give the status of the one that is checked first.</summary>
[TestFixture]
[Category("Unit")]
public sealed class SignalEventWithTwoFaults
{
    /// <summary>Faults in the order they are checked.</summary>
    public enum Fault
    {
        NoPrivilege,
        ReservedControlBit,
        RepCount,
        MisalignedInputBlock,
        ReservedInputBit,
        UnknownConnection,
        InactivePortOwner,
        FlagBeyondPort,
        MissingTargetVp,
        SynicDisabled,
        SiefPageDisabled,
        SintMasked,
    }

    private static IEnumerable<TestCaseData> Pairs()
    {
        foreach (SignalForm form in Forms.AllSignalForms)
        {
            Fault[] faults = Enum.GetValues<Fault>();
            for (int i = 0; i < faults.Length; i++)
            {
                for (int j = i + 1; j < faults.Length; j++)
                {
                    bool needsSlow = faults[i] == Fault.MisalignedInputBlock || faults[j] == Fault.MisalignedInputBlock;
                    if (needsSlow && form != SignalForm.TlfsSlow)
                    {
                        continue;
                    }

                    yield return new TestCaseData(form, faults[i], faults[j])
                        .SetArgDisplayNames(form.ToString(), $"{faults[i]}+{faults[j]}");
                }
            }
        }
    }

    [TestCaseSource(nameof(Pairs))]
    public void ReturnsTheStatusOfTheEarlierCheck(SignalForm form, Fault first, Fault second)
    {
        var bed = new HvTestBed(form.Convention());
        uint connectionId = HvTestBed.EventConnectionId;
        ushort flag = 1;
        ulong reservedInput = 0;
        ulong controlExtra = 0;
        ulong? slowGpa = null;
        foreach (Fault fault in new[] { first, second })
        {
            switch (fault)
            {
                case Fault.NoPrivilege:
                    bed.Partition.Privileges = PartitionPrivileges.PostMessages;
                    break;
                case Fault.ReservedControlBit:
                    controlExtra |= 1UL << 29;
                    break;
                case Fault.RepCount:
                    controlExtra |= 3UL << 32;
                    break;
                case Fault.MisalignedInputBlock:
                    slowGpa = HvTestBed.InputGpa + 2;
                    break;
                case Fault.ReservedInputBit:
                    reservedInput = 1UL << 50;
                    break;
                case Fault.UnknownConnection:
                    connectionId = 0x4242;
                    break;
                case Fault.InactivePortOwner:
                    bed.Partition.IsActive = false;
                    break;
                case Fault.FlagBeyondPort:
                    flag = HvTestBed.EventFlagCount;
                    break;
                case Fault.MissingTargetVp:
                    bed.Partition.RemovePort(HvTestBed.EventPortId);
                    bed.Partition.AddEventPort(HvTestBed.EventPortId, targetVp: 5, HvTestBed.EventSint, 0, HvTestBed.EventFlagCount);
                    break;
                case Fault.SynicDisabled:
                    bed.WriteMsrOk(HvTestBed.EventTargetVp, HvMsr.Scontrol, 0);
                    break;
                case Fault.SiefPageDisabled:
                    bed.WriteMsrOk(HvTestBed.EventTargetVp, HvMsr.Siefp, 0);
                    break;
                case Fault.SintMasked:
                    bed.WriteMsrOk(HvTestBed.EventTargetVp, HvMsr.Sint0 + HvTestBed.EventSint, SintRegister.ResetValue);
                    break;
            }
        }

        ulong block = HvSignalEventInput.Create(connectionId, flag).Raw | reservedInput;
        HvStatus status = bed.SignalRaw(form, block, controlExtra, slowGpa).Status;
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(StatusOf(first)));
            Assert.That(bed.Memory.Writes, Is.Empty, "a failed call writes nothing");
            Assert.That(bed.Sink.Count, Is.Zero, "a failed call raises nothing");
        });
    }

    private static HvStatus StatusOf(Fault fault) => fault switch
    {
        Fault.NoPrivilege => HvStatus.AccessDenied,
        Fault.ReservedControlBit or Fault.RepCount or Fault.ReservedInputBit => HvStatus.InvalidHypercallInput,
        Fault.MisalignedInputBlock => HvStatus.InvalidAlignment,
        Fault.UnknownConnection => HvStatus.InvalidConnectionId,
        Fault.InactivePortOwner => HvStatus.InvalidPortId,
        Fault.FlagBeyondPort => HvStatus.InvalidParameter,
        Fault.MissingTargetVp => HvStatus.InvalidVpIndex,
        _ => HvStatus.InvalidSynicState,
    };
}

namespace HvBench.Hyperv.Tests.Definitions;

[TestFixture]
[Category("Unit")]
public sealed class HvStatusValues
{
    [TestCase(0x0000, "HV_STATUS_SUCCESS")]
    [TestCase(0x0002, "HV_STATUS_INVALID_HYPERCALL_CODE")]
    [TestCase(0x0003, "HV_STATUS_INVALID_HYPERCALL_INPUT")]
    [TestCase(0x0004, "HV_STATUS_INVALID_ALIGNMENT")]
    [TestCase(0x0005, "HV_STATUS_INVALID_PARAMETER")]
    [TestCase(0x0006, "HV_STATUS_ACCESS_DENIED")]
    [TestCase(0x000E, "HV_STATUS_INVALID_VP_INDEX")]
    [TestCase(0x0011, "HV_STATUS_INVALID_PORT_ID")]
    [TestCase(0x0012, "HV_STATUS_INVALID_CONNECTION_ID")]
    [TestCase(0x0013, "HV_STATUS_INSUFFICIENT_BUFFERS")]
    [TestCase(0x0018, "HV_STATUS_INVALID_SYNIC_STATE")]
    [TestCase(0x0078, "HV_STATUS_TIME_OUT")]
    public void HaveTheirTlfsNames(int value, string name)
    {
        var status = new HvStatus((ushort)value);
        Assert.Multiple(() =>
        {
            Assert.That(status.Name, Is.EqualTo(name));
            Assert.That(status.ToString(), Is.EqualTo(name));
        });
    }

    [Test]
    public void NameUnknownValuesInHex() => Assert.That(new HvStatus(0x1234).Name, Is.EqualTo("HV_STATUS_0x1234"));

    [Test]
    public void ListEverySection2StatusOnceInAscendingOrder()
    {
        ushort[] values = HvStatus.All.ToArray().Select(s => s.Value).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(values, Has.Length.EqualTo(23));
            Assert.That(values, Is.Ordered.Ascending);
            Assert.That(values, Is.Unique);
            Assert.That(HvStatus.All.ToArray().Select(s => s.Name), Has.None.StartsWith("HV_STATUS_0x"));
        });
    }
}

[TestFixture]
[Category("Unit")]
public sealed class SintRegisterFields
{
    [Test]
    public void DecodeEveryBit()
    {
        var sint = new SintRegister(0x7_00E1);
        Assert.Multiple(() =>
        {
            Assert.That(sint.Vector, Is.EqualTo(0xE1));
            Assert.That(sint.Masked, Is.True);
            Assert.That(sint.AutoEoi, Is.True);
            Assert.That(sint.Polling, Is.True);
        });
    }

    [Test]
    public void WithMethodsChangeOneFieldOnly()
    {
        SintRegister sint = new SintRegister(SintRegister.ResetValue | (1UL << 40)).WithVector(0x40).WithMasked(false).WithAutoEoi(true).WithPolling(true);
        Assert.Multiple(() =>
        {
            Assert.That(sint.Raw, Is.EqualTo((1UL << 40) | SintRegister.PollingBit | SintRegister.AutoEoiBit | 0x40));
            Assert.That(sint.WithPolling(false).WithAutoEoi(false).WithMasked(true).Raw, Is.EqualTo((1UL << 40) | SintRegister.MaskedBit | 0x40));
        });
    }

    [Test]
    public void ResetToMaskedVectorZero() => Assert.That(SintRegister.ResetValue, Is.EqualTo(0x10000UL));
}

[TestFixture]
[Category("Unit")]
public sealed class PageRegisterFields
{
    [Test]
    public void SplitGpfnAndEnable()
    {
        var page = new SynicPageRegister(0x1234_5FFFUL);
        var hypercall = new HypercallMsrRegister(0x1234_5003UL);
        Assert.Multiple(() =>
        {
            Assert.That(page.Gpfn, Is.EqualTo(0x12345UL));
            Assert.That(page.Gpa, Is.EqualTo(0x1234_5000UL));
            Assert.That(page.Enabled, Is.True);
            Assert.That(SynicPageRegister.EnabledAt(0x7FFF).Raw, Is.EqualTo(0x7001UL));
            Assert.That(hypercall.Gpa, Is.EqualTo(0x1234_5000UL));
            Assert.That(hypercall.Enabled, Is.True);
            Assert.That(hypercall.Locked, Is.True);
            Assert.That(new SynicControlRegister(2).Enabled, Is.False);
        });
    }
}

[TestFixture]
[Category("Unit")]
public sealed class HvSignalEventInputFields
{
    [Test]
    public void MatchTheLinuxFastHypercallLayout()
    {
        // Linux: hv_do_fast_hypercall8(HVCALL_SIGNAL_EVENT, channel->sig_event), sig_event = connection id | flag << 32.
        var input = new HvSignalEventInput(0x0000_0003_0000_0002UL);
        Assert.Multiple(() =>
        {
            Assert.That(input.ConnectionId, Is.EqualTo(2u));
            Assert.That(input.FlagNumber, Is.EqualTo((ushort)3));
            Assert.That(input.HasReservedBits, Is.False);
            Assert.That(new HvSignalEventInput(1UL << 31).HasReservedBits, Is.True);
            Assert.That(new HvSignalEventInput(1UL << 48).HasReservedBits, Is.True);
            Assert.That(HvSignalEventInput.Read([2, 0, 0, 0, 3, 0, 0, 0]).Raw, Is.EqualTo(input.Raw));
        });
    }
}

[TestFixture]
[Category("Unit")]
public sealed class SyntheticMsrNumbers
{
    [Test]
    public void MatchTheTlfs()
    {
        Assert.Multiple(() =>
        {
            Assert.That(HvMsr.GuestOsId, Is.EqualTo(0x40000000u));
            Assert.That(HvMsr.Hypercall, Is.EqualTo(0x40000001u));
            Assert.That(HvMsr.VpIndex, Is.EqualTo(0x40000002u));
            Assert.That(HvMsr.Scontrol, Is.EqualTo(0x40000080u));
            Assert.That(HvMsr.Sversion, Is.EqualTo(0x40000081u));
            Assert.That(HvMsr.Siefp, Is.EqualTo(0x40000082u));
            Assert.That(HvMsr.Simp, Is.EqualTo(0x40000083u));
            Assert.That(HvMsr.Eom, Is.EqualTo(0x40000084u));
            Assert.That(HvMsr.Sint15 - HvMsr.Sint0, Is.EqualTo(15u));
            Assert.That(HvMsr.IsSynthetic(0x400000FF), Is.True);
            Assert.That(HvMsr.IsSynthetic(0x40000100), Is.False);
            Assert.That(HvMsr.IsSynthetic(0x3FFFFFFF), Is.False);
        });
    }

    [Test]
    public void PrivilegeBitsMatchTheBrief()
    {
        Assert.Multiple(() =>
        {
            Assert.That((ulong)PartitionPrivileges.SignalEvents, Is.EqualTo(1UL << 37));
            Assert.That((ulong)PartitionPrivileges.PostMessages, Is.EqualTo(1UL << 36));
            Assert.That((ulong)PartitionPrivileges.AccessSynicRegs, Is.EqualTo(1UL << 2));
        });
    }
}

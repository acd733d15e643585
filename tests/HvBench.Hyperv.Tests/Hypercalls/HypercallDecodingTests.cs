using HvBench.Hyperv.Tests.Support;

namespace HvBench.Hyperv.Tests.Hypercalls;

[TestFixture]
[Category("Unit")]
[TestFixtureSource(typeof(Forms), nameof(Forms.AllConventions))]
public sealed class HypercallWithAnUnimplementedCallCode(HypercallConvention convention)
{
    [TestCase((ushort)0x0000)]
    [TestCase((ushort)0x0001)] // HvCallSwitchVirtualAddressSpace
    [TestCase((ushort)0x0058)] // HvCallDeletePort
    [TestCase((ushort)0x0095)] // HvCallCreatePort
    [TestCase((ushort)0x00C0)] // HvCallSignalEventDirect
    [TestCase((ushort)0xFFFF)]
    public void ReturnsInvalidHypercallCode(ushort code)
    {
        var bed = new HvTestBed(convention);
        HypercallOutcome slow = Call(bed, code);
        HypercallOutcome fast = Call(bed, code | HypercallInputValue.FastBit);
        Assert.Multiple(() =>
        {
            Assert.That(slow.Status, Is.EqualTo(HvStatus.InvalidHypercallCode));
            Assert.That(slow.CallCode, Is.EqualTo(code));
            Assert.That(fast.Status, Is.EqualTo(HvStatus.InvalidHypercallCode));
            Assert.That(fast.Fast, Is.True);
        });
    }

    [Test]
    public void ReturnsInvalidHypercallInputForReservedBitsFirst() =>
        Assert.That(Call(new HvTestBed(convention), 0x0095 | (1UL << 45)).Status, Is.EqualTo(HvStatus.InvalidHypercallInput));

    [Test]
    public void NeedsNoPrivilege()
    {
        var bed = new HvTestBed(convention);
        bed.Partition.Privileges = PartitionPrivileges.None;
        Assert.That(Call(bed, 0x0095).Status, Is.EqualTo(HvStatus.InvalidHypercallCode));
    }

    [Test]
    public void WritesTheResultValueIntoRaxOnly()
    {
        var bed = new HvTestBed(convention);
        var registers = new HypercallRegisters { Rax = 0x0095, Rbx = 1, Rcx = 0x0095, Rdx = 3, R8 = 4 };
        bed.Partition.Hypercall(0, ref registers);
        Assert.That(registers, Is.EqualTo(new HypercallRegisters { Rax = 2, Rbx = 1, Rcx = 0x0095, Rdx = 3, R8 = 4 }));
    }

    private static HypercallOutcome Call(HvTestBed bed, ulong inputValue)
    {
        var registers = bed.Convention == HypercallConvention.Tlfs
            ? new HypercallRegisters { Rcx = inputValue, Rdx = HvTestBed.InputGpa }
            : new HypercallRegisters { Rax = inputValue, Rbx = HvTestBed.InputGpa };
        return bed.Partition.Hypercall(0, ref registers);
    }
}

[TestFixture]
[Category("Unit")]
public sealed class HypercallFromAVpThatDoesNotExist
{
    [Test]
    public void ThrowsBecauseItIsAVmmBug()
    {
        var bed = new HvTestBed();
        var registers = new HypercallRegisters { Rcx = 0x1005D, Rdx = 7 };
        Assert.That(() => bed.Partition.Hypercall(2, ref registers), Throws.TypeOf<ArgumentOutOfRangeException>());
    }
}

[TestFixture]
[Category("Unit")]
public sealed class DecodingAnInputValue
{
    [Test]
    public void ReadsEveryField()
    {
        // code 0x5D, fast, var header 5, rep count 0x123, rep start 0x456, bit 31 set.
        ulong raw = 0x5DUL | (1UL << 16) | (5UL << 17) | (1UL << 31) | (0x123UL << 32) | (0x456UL << 48);
        var input = new HypercallInputValue(raw);
        Assert.Multiple(() =>
        {
            Assert.That(input.CallCode, Is.EqualTo((ushort)0x5D));
            Assert.That(input.IsFast, Is.True);
            Assert.That(input.VariableHeaderSize, Is.EqualTo(5));
            Assert.That(input.IsNested, Is.True);
            Assert.That(input.RepCount, Is.EqualTo(0x123));
            Assert.That(input.RepStartIndex, Is.EqualTo(0x456));
            Assert.That(input.HasReservedBits, Is.True);
            Assert.That(input.HasRepOrVariableHeader, Is.True);
        });
    }

    [Test]
    public void FindsNoReservedBitsInAPlainFastCall()
    {
        HypercallInputValue input = HypercallInputValue.Simple(HypercallCode.HvCallSignalEvent, fast: true);
        Assert.Multiple(() =>
        {
            Assert.That(input.Raw, Is.EqualTo(0x1005DUL));
            Assert.That(input.HasReservedBits, Is.False);
            Assert.That(input.HasRepOrVariableHeader, Is.False);
        });
    }

    [Test]
    public void UsesTheLinuxReservedMask() =>
        Assert.That(HypercallInputValue.ReservedMask, Is.EqualTo(0xF000_F000_F800_0000UL));
}

[TestFixture]
[Category("Unit")]
public sealed class EncodingAResultValue
{
    [Test]
    public void PutsTheStatusInBits15To0AndRepsInBits43To32()
    {
        ulong value = HypercallResultValue.Encode(HvStatus.InvalidParameter, 0x123);
        Assert.Multiple(() =>
        {
            Assert.That(value, Is.EqualTo(0x0000_0123_0000_0005UL));
            Assert.That(HypercallResultValue.Status(value), Is.EqualTo(HvStatus.InvalidParameter));
            Assert.That(HypercallResultValue.RepsCompleted(value), Is.EqualTo(0x123));
        });
    }
}

using HvBench.Vmm.Devices;

namespace HvBench.Vmm.Tests.Machines;

/// <summary>Dispatch by guest-physical range: each access goes to the device whose range holds it, with the offset
/// into that range; ranges never overlap.</summary>
[TestFixture, Category("Unit")]
public sealed class TheMmioBus
{
    private sealed class Recorder : IMmioDevice
    {
        public List<(bool Write, ulong Offset)> Accesses { get; } = [];

        public void Read(int vpIndex, ulong offset, Span<byte> data) { Accesses.Add((false, offset)); data.Fill(0x5A); }

        public void Write(int vpIndex, ulong offset, ReadOnlySpan<byte> data) => Accesses.Add((true, offset));
    }

    [Test]
    public void SendsEachAccessToItsRangesDeviceWithTheOffset()
    {
        var bus = new MmioBus();
        var low = new Recorder();
        var high = new Recorder();
        bus.Attach(0xE000_0000, 0x1000, low);
        bus.Attach(0xE000_1000, 0x10, high);
        byte[] data = new byte[4];
        bus.Access(0, 0xE000_0FFC, isWrite: false, data);
        bus.Access(1, 0xE000_1008, isWrite: true, data);
        bus.Access(0, 0xE000_1010, isWrite: false, data);   // just past the second range
        Assert.That(low.Accesses, Is.EqualTo(new[] { (false, 0xFFCUL) }));
        Assert.That(high.Accesses, Is.EqualTo(new[] { (true, 8UL) }));
        Assert.That(data, Is.All.EqualTo(0xFF), "nothing there reads all ones");
        Assert.That((bus.UnclaimedReads, bus.UnclaimedWrites), Is.EqualTo((1L, 0L)));
    }

    [Test]
    public void RefusesOverlappingAndEmptyRanges()
    {
        var bus = new MmioBus();
        bus.Attach(0xE000_0000, 0x1000, new Recorder());
        Assert.That(() => bus.Attach(0xE000_0FFF, 2, new Recorder()), Throws.InvalidOperationException.With.Message.Contains("overlaps"));
        Assert.That(() => bus.Attach(0xDFFF_F000, 0x2000, new Recorder()), Throws.InvalidOperationException);
        Assert.That(() => bus.Attach(0xF000_0000, 0, new Recorder()), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => bus.Attach(ulong.MaxValue, 2, new Recorder()), Throws.TypeOf<ArgumentOutOfRangeException>());
    }
}

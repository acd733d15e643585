namespace HvBench.Kvm.Tests;

[TestFixture, Category("Unit")]
public sealed class GuestMemoryAccess
{
    [Test]
    public void RefusesASpanThatReachesPastTheEnd()
    {
        using var memory = new GuestMemory(0x10000);
        Assert.That(() => memory.GetSpan(0xFFF8, 16), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("0xfff8..0x10008"));
        Assert.That(memory.TryWrite(0x10000, new byte[1]), Is.False);
        Assert.That(memory.TryRead(ulong.MaxValue - 2, new byte[8]), Is.False);
        Assert.That(memory.Contains(0xFFF8, 8), Is.True);
    }

    [Test]
    public void AtomicOrReturnsThePreviousWordAndSetsTheBits()
    {
        using var memory = new GuestMemory(0x1000);
        Assert.That(memory.TryAtomicOr64(0x10, 0b01, out ulong before), Is.True);
        Assert.That(before, Is.Zero);
        Assert.That(memory.TryAtomicOr64(0x10, 0b10, out before), Is.True);
        Assert.That(before, Is.EqualTo(0b01UL));
        Assert.That(memory.ReadUInt64(0x10), Is.EqualTo(0b11UL));
        Assert.That(memory.TryAtomicAnd64(0x10, ~0b01UL, out before), Is.True);
        Assert.That(memory.ReadUInt64(0x10), Is.EqualTo(0b10UL));
        Assert.That(memory.TryAtomicExchange64(0x10, 7, out before) && before == 0b10, Is.True);
        Assert.That(memory.TryAtomicOr64(0x11, 1, out _), Is.False, "misaligned");
        Assert.That(memory.TryAtomicOr64(0x1000, 1, out _), Is.False, "outside");
    }

    [Test]
    public void ConcurrentOrsLoseNoBit()
    {
        using var memory = new GuestMemory(0x1000);
        Parallel.For(0, 64, bit => memory.TryAtomicOr64(0x100, 1UL << bit, out _));
        Assert.That(memory.ReadUInt64(0x100), Is.EqualTo(ulong.MaxValue));
    }

    [Test]
    public void ThrowsAfterDispose()
    {
        var memory = new GuestMemory(0x1000);
        memory.Dispose();
        Assert.That(() => memory.GetSpan(0, 1), Throws.TypeOf<ObjectDisposedException>());
    }
}

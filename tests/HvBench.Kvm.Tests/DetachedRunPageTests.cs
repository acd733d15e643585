namespace HvBench.Kvm.Tests;

/// <summary>A kvm_run page in ordinary memory decodes like the vCPU's: the exit reason and the typed fields are where
/// KVM puts them, and the I/O data span covers size × count bytes.</summary>
[TestFixture, Category("Unit")]
public sealed class ADetachedRunPage
{
    [Test]
    public void DecodesAPortIoExit()
    {
        using var page = new DetachedRunPage();
        page.SetIoExit(0x80, isOut: true, size: 2, count: 3);
        VcpuExit exit = page.Exit;
        Assert.That(exit.Reason, Is.EqualTo(VcpuExitReason.Io));
        Assert.That((exit.Io.Port, exit.Io.Direction, exit.Io.Size, exit.Io.Count), Is.EqualTo(((ushort)0x80, (byte)1, (byte)2, 3u)));
        Assert.That(exit.IoData.Length, Is.EqualTo(6));
    }

    [Test]
    public void DecodesAnMsrExitWrittenThroughTheView()
    {
        using var page = new DetachedRunPage();
        page.SetExitReason(VcpuExitReason.X86Wrmsr);
        page.Exit.Msr.Index = 0x4000009F;
        page.Exit.Msr.Data = 0x10000;
        Assert.That((page.Exit.Reason, page.Exit.Msr.Index, page.Exit.Msr.Data), Is.EqualTo((VcpuExitReason.X86Wrmsr, 0x4000009Fu, 0x10000UL)));
    }

    [Test]
    public void RefusesUseAfterDispose()
    {
        var page = new DetachedRunPage();
        page.Dispose();
        page.Dispose();
        Assert.That(() => page.SetExitReason(VcpuExitReason.Hlt), Throws.TypeOf<ObjectDisposedException>());
    }
}

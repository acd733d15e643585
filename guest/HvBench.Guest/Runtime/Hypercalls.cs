using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Guest.Runtime;

/// <summary>The hypercall register conventions of guest-abi.md.</summary>
public enum Convention
{
    /// <summary>RCX = input value, RDX/R8 = fast operands or input/output GPAs; result in RAX.</summary>
    Tlfs,
    /// <summary>RAX = call code, RBX = ConnectionId, RCX = FlagNumber; result in RAX.</summary>
    Rax,
}

/// <summary>How a hypercall reaches the hypervisor.</summary>
public enum HypercallRoute
{
    /// <summary><c>call</c> the hypercall page, as on Hyper-V.</summary>
    Page,
    /// <summary><c>call</c> a routine that executes VMCALL in the image's own code (one direct site for the whole image).</summary>
    DirectVmcall,
}

/// <summary>HvSignalEvent and HvPostMessage in both conventions, through the hypercall page or a direct VMCALL site.
/// Every call clobbers RAX, RBX, RCX, RDX, R8 and leaves the result value in RAX.</summary>
public sealed class Hypercalls
{
    /// <summary>HvCallPostMessage.</summary>
    public const ushort PostMessage = 0x5C;
    /// <summary>HvCallSignalEvent.</summary>
    public const ushort SignalEvent = 0x5D;
    /// <summary>The Fast bit of the input value.</summary>
    public const ulong FastBit = 1UL << 16;

    private readonly GuestBuilder _builder;
    private readonly Synic _synic;
    private Label _directVmcall;
    private bool _directUsed;


    /// <summary>Hypercalls through <paramref name="synic"/>'s hypercall page or a direct VMCALL routine.</summary>
    public Hypercalls(GuestBuilder builder, Synic synic)
    {
        _builder = builder;
        _synic = synic;
    }

    /// <summary>Makes the call whose registers are loaded, by <paramref name="route"/>.</summary>
    public void EmitCall(HypercallRoute route)
    {
        var a = _builder.Asm;
        if (route == HypercallRoute.DirectVmcall)
        {
            if (!_directUsed) _directVmcall = _builder.Function("hv_direct_vmcall"); // declared on first use: one site per image
            _directUsed = true;
            a.call(_directVmcall);
            return;
        }
        a.mov(r11, _synic.HypercallPage);
        a.call(r11);
    }

    /// <summary>Fast HvSignalEvent(<paramref name="connectionId"/>, <paramref name="flagNumber"/>).</summary>
    public void EmitSignalEvent(Convention convention, uint connectionId, ushort flagNumber, HypercallRoute route = HypercallRoute.Page)
    {
        var a = _builder.Asm;
        if (convention == Convention.Rax)
        {
            a.mov(eax, SignalEvent);
            a.mov(ebx, connectionId);
            a.mov(ecx, flagNumber);
        }
        else
        {
            a.mov(ecx, (uint)(SignalEvent | FastBit));
            a.mov(rdx, connectionId | (ulong)flagNumber << 32);
        }
        EmitCall(route);
    }

    /// <summary>Writes an HvPostMessage input block at <paramref name="inputGpa"/> (256 bytes, 8-aligned): ConnectionId,
    /// the reserved word 0, <paramref name="messageType"/>, PayloadSize 8 and <paramref name="payload"/> (clobbers RAX, RBX).</summary>
    public void EmitMessageInput(ulong inputGpa, uint connectionId, uint messageType, ulong payload)
    {
        var a = _builder.Asm;
        a.mov(rax, inputGpa);
        a.mov(__dword_ptr[rax], connectionId);
        a.mov(__dword_ptr[rax + 4], 0);
        a.mov(__dword_ptr[rax + 8], messageType);
        a.mov(__dword_ptr[rax + 12], 8);                // PayloadSize
        a.mov(rbx, payload);
        a.mov(__qword_ptr[rax + 16], rbx);
    }

    /// <summary>Slow HvPostMessage with its 256-byte input block at <paramref name="inputGpa"/>.</summary>
    public void EmitPostMessage(Convention convention, ulong inputGpa, HypercallRoute route = HypercallRoute.Page)
    {
        var a = _builder.Asm;
        if (convention == Convention.Rax)
        {
            // The model reads a slow call's input GPA from RBX in this convention (RaxHypercallRegisters); HvPostMessage
            // has no output, so RCX, the output GPA's place, is 0 like R8 below.
            a.mov(eax, PostMessage);
            a.mov(rbx, inputGpa);
            a.xor(ecx, ecx);
        }
        else
        {
            a.mov(ecx, PostMessage);
            a.mov(rdx, inputGpa);
            a.xor(r8d, r8d);
        }
        EmitCall(route);
    }

    /// <summary>Emits the direct VMCALL routine if any call used it; call once after the code.</summary>
    public void EmitRoutines()
    {
        if (!_directUsed) return;
        var a = _builder.Asm;
        _builder.Bind(ref _directVmcall);
        a.vmcall();
        a.ret();
    }
}

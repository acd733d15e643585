namespace HvBench.Hyperv;

/// <summary>Hypercall call codes, bits 15:0 of the hypercall input value (TLFS "Hypercall Inputs").</summary>
/// <remarks>Only <see cref="HvCallPostMessage"/> and <see cref="HvCallSignalEvent"/> are implemented; the other
/// names exist so that traces can name what a guest tried. Unimplemented codes return
/// <see cref="HvStatus.InvalidHypercallCode"/>.</remarks>
public enum HypercallCode : ushort
{
    /// <summary><c>HvCallDeletePort</c> (not implemented).</summary>
    HvCallDeletePort = 0x0058,

    /// <summary><c>HvCallDisconnectPort</c> (not implemented).</summary>
    HvCallDisconnectPort = 0x005B,

    /// <summary><c>HvCallPostMessage</c>: send a 256-byte message through a message connection (slow only).</summary>
    HvCallPostMessage = 0x005C,

    /// <summary><c>HvCallSignalEvent</c>: set an event flag through an event connection (fast or slow).</summary>
    HvCallSignalEvent = 0x005D,

    /// <summary><c>HvCallCreatePort</c> (not implemented: ports are configured by the VMM).</summary>
    HvCallCreatePort = 0x0095,

    /// <summary><c>HvCallConnectPort</c> (not implemented: connections are configured by the VMM).</summary>
    HvCallConnectPort = 0x0096,

    /// <summary><c>HvCallSignalEventDirect</c> (not implemented).</summary>
    HvCallSignalEventDirect = 0x00C0,

    /// <summary><c>HvCallPostMessageDirect</c> (not implemented).</summary>
    HvCallPostMessageDirect = 0x00C1,
}

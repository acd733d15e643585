namespace HvBench.Guest.Runtime;

/// <summary>Where a <see cref="GuestConsole"/> writes (guest-abi.md, "Devices").</summary>
public enum ConsolePort
{
    /// <summary>The debug console, port 0xE9: one <c>out</c> per byte.</summary>
    DebugPort,
    /// <summary>COM1, a 16550 UART at 0x3F8: wait for LSR bit 5 (THR empty), then write THR.</summary>
    Com1,
}

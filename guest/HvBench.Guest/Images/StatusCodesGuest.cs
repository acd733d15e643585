using HvBench.Guest.Runtime;
using static Iced.Intel.AssemblerRegisters;

namespace HvBench.Guest.Images;

/// <summary>One HvSignalEvent made by the status guest: its registers and the status the TLFS says it must return.</summary>
/// <param name="Name">What the case does.</param>
/// <param name="First">RCX (tlfs) or RAX (rax): the hypercall input value.</param>
/// <param name="Second">RDX (tlfs) or RBX (rax).</param>
/// <param name="Third">R8 (tlfs) or RCX (rax).</param>
/// <param name="ExpectedStatus">The HV_STATUS value.</param>
public sealed record StatusCase(string Name, ulong First, ulong Second, ulong Third, ushort ExpectedStatus);

/// <summary>status-codes: VP0 makes one HvSignalEvent per case and checks each returned status; every status of the
/// seed page is reached from guest code. The scenario (<see cref="PortLayout"/>) gives each case its port.</summary>
public static class StatusCodesGuest
{
    /// <summary>The scenario the cases assume, as (kind, id, target VP, SINT, flag count) ports and (connection → port)
    /// pairs: port 1 event VP0 SINT2 64 flags (conn 7), port 2 message (conn 8), conn 9 → missing port 77, port 3 event on
    /// VP5 which does not exist (conn 10), port 4 event VP0 SINT3, which stays masked (conn 11).</summary>
    public const string PortLayout = "ports 1 event VP0 SINT2 flags 0..63, 2 message VP0 SINT3, 3 event VP5 SINT2, 4 event VP0 SINT3; connections 7→1, 8→2, 9→77, 10→3, 11→4";

    /// <summary>An 8-aligned slow-call input block: connection 7, flag 1.</summary>
    private const string SlowInputSymbol = "slow_input";

    private const ushort Success = 0x0, InvalidHypercallCode = 0x2, InvalidHypercallInput = 0x3, InvalidAlignment = 0x4,
        InvalidParameter = 0x5, AccessDenied = 0x6, InvalidVpIndex = 0xE, InvalidPortId = 0x11, InvalidConnectionId = 0x12,
        InvalidSynicState = 0x18;

    private const ulong SignalFast = 0x1005D, SignalSlow = 0x5D;

    /// <summary>The cases for <paramref name="convention"/>; <paramref name="slowInput"/> is the GPA of the slow-call block.</summary>
    public static IReadOnlyList<StatusCase> Cases(Convention convention, ulong slowInput) => convention == Convention.Tlfs
        ?
        [
            new("fast, connection 7 flag 0", SignalFast, 7, 0, Success),
            new("slow, input block connection 7 flag 1", SignalSlow, slowInput, 0, Success),
            new("slow, input GPA not 8-aligned", SignalSlow, slowInput + 4, 0, InvalidAlignment),
            new("unknown call code 0x7fff", 0x17FFF, 7, 0, InvalidHypercallCode),
            new("reserved input-value bit 27", SignalFast | 1UL << 27, 7, 0, InvalidHypercallInput),
            new("rep count on a simple call", SignalFast | 1UL << 32, 7, 0, InvalidHypercallInput),
            new("reserved bits 48..63 of the fast input", SignalFast, 7 | 1UL << 48, 0, InvalidHypercallInput),
            new("unknown connection 99", SignalFast, 99, 0, InvalidConnectionId),
            new("connection to a message port", SignalFast, 8, 0, InvalidPortId),
            new("connection to a missing port", SignalFast, 9, 0, InvalidPortId),
            new("flag 64 of a 64-flag port", SignalFast, 7 | 64UL << 32, 0, InvalidParameter),
            new("port on a VP that does not exist", SignalFast, 10, 0, InvalidVpIndex),
            new("port on a masked SINT", SignalFast, 11, 0, InvalidSynicState),
        ]
        :
        [
            new("connection 7 flag 0", 0x5D, 7, 0, Success),
            new("unknown call code 0x7fff", 0x7FFF, 7, 0, InvalidHypercallCode),
            new("reserved input-value bit 27", 0x5D | 1UL << 27, 7, 0, InvalidHypercallInput),
            new("connection id above 32 bits", 0x5D, 7 | 1UL << 32, 0, InvalidHypercallInput),
            new("flag number above 16 bits", 0x5D, 7, 0x10000, InvalidHypercallInput),
            new("unknown connection 99", 0x5D, 99, 0, InvalidConnectionId),
            new("connection to a message port", 0x5D, 8, 0, InvalidPortId),
            new("connection to a missing port", 0x5D, 9, 0, InvalidPortId),
            new("flag 64 of a 64-flag port", 0x5D, 7, 64, InvalidParameter),
            new("port on a VP that does not exist", 0x5D, 10, 0, InvalidVpIndex),
            new("port on a masked SINT", 0x5D, 11, 0, InvalidSynicState),
        ];

    /// <summary>The single case of a partition without the SignalEvents privilege.</summary>
    public static IReadOnlyList<StatusCase> AccessDeniedCases(Convention convention) =>
        [convention == Convention.Tlfs ? new("no SignalEvents privilege", SignalFast, 7, 0, AccessDenied) : new("no SignalEvents privilege", 0x5D, 7, 0, AccessDenied)];

    /// <summary>Builds the guest running <see cref="Cases"/> (or <see cref="AccessDeniedCases"/>) in <paramref name="convention"/>.</summary>
    public static byte[] Build(Convention convention = Convention.Tlfs, bool accessDenied = false) =>
        Build(convention, slowInput => accessDenied ? AccessDeniedCases(convention) : Cases(convention, slowInput),
            slowInputBlock: 7UL | 1UL << 32, "HvSignalEvent cases");

    /// <summary>Builds a status guest: VP0 enables the hypercall page and SynIC (SINT2 vector 0x50, SINT3 left masked),
    /// writes <paramref name="slowInputBlock"/> to the slow-call block whose GPA <paramref name="cases"/> receives, makes
    /// one call per case through the hypercall page and checks each status, then runs <paramref name="afterCases"/> (more
    /// checks, if any) and passes. Any other VP idles.</summary>
    public static byte[] Build(Convention convention, Func<ulong, IReadOnlyList<StatusCase>> cases, ulong slowInputBlock, string what,
        Action<HypervGuest>? afterCases = null)
    {
        var guest = new HypervGuest(maxVps: 1);
        var a = guest.Asm;
        ulong slowInput = guest.Builder.Allocate(SlowInputSymbol, 8);
        IReadOnlyList<StatusCase> calls = cases(slowInput);
        guest.OnVp(0, () =>
        {
            guest.Synic.EmitEnableHypercallPage();
            guest.Synic.EmitEnable(guest.VpIndex);
            guest.Synic.EmitSetSint(2, 0x50);           // SINT3 keeps its reset value: masked
            a.mov(rax, slowInput);
            a.mov(rdx, slowInputBlock);
            a.mov(__qword_ptr[rax], rdx);
            foreach (StatusCase c in calls)
            {
                if (convention == Convention.Tlfs)
                {
                    a.mov(rcx, c.First);
                    a.mov(rdx, c.Second);
                    a.mov(r8, c.Third);
                }
                else
                {
                    a.mov(rax, c.First);
                    a.mov(rbx, c.Second);
                    a.mov(rcx, c.Third);
                }
                guest.Hypercalls.EmitCall(HypercallRoute.Page);
                a.cmp(guest.HypercallStatus, c.ExpectedStatus);
                a.jne(guest.Checks.Failure($"{c.Name}: expected status 0x{c.ExpectedStatus:x}"));
            }
            afterCases?.Invoke(guest);
            guest.Console.Print($"all {calls.Count} {what} returned the expected status\n");
            guest.Pass();
        });
        return guest.Build();
    }
}

using System.Text;
using HvBench.Kvm;
using HvBench.Vmm.Loaders;

namespace HvBench.Vmm.Reports;

/// <summary>A failed guest check, read from the guest's assertion record (docs/guest-abi.md, "Assertion record"): its
/// message, its source location, and the check's instruction in the guest with the nearest symbol.</summary>
public sealed record GuestAssertionReport(
    ulong PartitionId,
    int VpIndex,
    int Check,
    string Message,
    string Location,
    ulong Rip,
    string Instruction,
    string? Symbol)
{
    /// <summary>The VP's registers when it reported the failure: its exit-port write, at the end of the guest's
    /// assertion routine. With <c>Runtime/Assertions.cs</c>, RBP, RSP and R10..R15 are still what they were at the
    /// check; RAX holds the exit code, RDI the check number, R8 and R9 the message and location GPAs, and RBX, RCX,
    /// RDX, RSI the routine's own values. Null if they could not be read.</summary>
    public RegisterSnapshot? Registers { get; init; }

    /// <summary>The symbol that marks the record.</summary>
    public const string SymbolName = "hvbench_assertion";

    private const ulong Magic = 0x5452535341425648; // "HVBASSRT"
    private const ulong RecordSize = 48;
    private const int MaxText = 512;

    /// <summary>Reads the record if the image names one and a guest completed it; else null.</summary>
    public static GuestAssertionReport? TryRead(GuestMemory memory, SymbolTable symbols, ulong partitionId = 1)
    {
        if (!symbols.TryGetSymbol(SymbolName, out ImageSymbol symbol)) return null;
        ulong at = symbol.Address;
        if (!memory.Contains(at, RecordSize) || memory.ReadUInt64(at) != Magic) return null;
        ulong rip = memory.ReadUInt64(at + 24);
        var (instruction, where) = InstructionText.At(memory, symbols, rip);
        return new GuestAssertionReport(partitionId, (int)memory.ReadUInt64(at + 8), (int)memory.ReadUInt64(at + 16),
            ReadText(memory, memory.ReadUInt64(at + 32)), ReadText(memory, memory.ReadUInt64(at + 40)), rip, instruction, where);
    }

    /// <summary>One line: "VP0: assertion failed: message at File.cs:12 (check 0 at RIP=0x1000c3 &lt;vp0+0x12&gt;: cmp rax,5  (4883F805))".</summary>
    public string Summary(string vpName)
    {
        var text = new StringBuilder();
        text.Append($"{vpName}: assertion failed: {Message} at {Location} (check {Check} at RIP=0x{Rip:x}");
        if (Symbol is not null) text.Append($" <{Symbol}>");
        text.Append($": {Instruction})");
        return text.ToString();
    }

    // A NUL-terminated ASCII string in guest memory, cut at MaxText bytes or the end of RAM.
    private static string ReadText(GuestMemory memory, ulong gpa)
    {
        if (!memory.Contains(gpa, 1)) return $"(text at 0x{gpa:x} is outside guest RAM)";
        int length = (int)Math.Min((ulong)MaxText, memory.BaseGpa + memory.Size - gpa);
        ReadOnlySpan<byte> bytes = memory.GetSpan(gpa, length);
        int end = bytes.IndexOf((byte)0);
        if (end >= 0) bytes = bytes[..end];
        var text = new StringBuilder(bytes.Length);
        foreach (byte b in bytes) text.Append(b is >= 0x20 and < 0x7F ? (char)b : '?');
        return text.ToString();
    }
}

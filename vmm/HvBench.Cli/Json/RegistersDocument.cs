namespace HvBench.Cli.Json;

/// <summary>One VP's registers at the end of a failed run; values are hex strings ("0x100000").</summary>
internal sealed record RegistersDocument
{
    /// <summary>Partition id.</summary>
    public required ulong Partition { get; init; }

    /// <summary>VP index.</summary>
    public required int Vp { get; init; }

    /// <summary>The instruction at RIP, disassembled.</summary>
    public required string Instruction { get; init; }

    /// <summary>The symbol RIP is in (name+0xoffset), or null.</summary>
    public required string? Symbol { get; init; }

    /// <summary>RIP, RFLAGS, the general registers and CR0, CR2, CR3, CR4, EFER by lower-case name.</summary>
    public required IReadOnlyDictionary<string, string> Values { get; init; }
}

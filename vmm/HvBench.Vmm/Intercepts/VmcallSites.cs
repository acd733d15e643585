using HvBench.Vmm.Loaders;
using HvBench.Vmm.Reports;
using Iced.Intel;

namespace HvBench.Vmm.Intercepts;

/// <summary>Finds the direct VMCALL/VMMCALL sites of an image by decoding its executable segments with Iced.</summary>
/// <remarks>A single linear sweep goes wrong where data sits between instructions (strings, tables): decoding
/// drifts out of step and can hide a later VMCALL. Where the image has symbols, decoding therefore starts afresh at
/// every code symbol (<c>STT_FUNC</c>, and <c>STT_NOTYPE</c> labels as GNU as writes them) and stops at the next
/// symbol, skipping <c>STT_OBJECT</c> data; without symbols it sweeps each executable segment.</remarks>
public static class VmcallSites
{
    /// <summary>The sites in <paramref name="executable"/> segments (GPA, bytes), sorted and without duplicates.</summary>
    public static List<ulong> Find(IReadOnlyList<(ulong Gpa, byte[] Code)> executable, SymbolTable symbols)
    {
        var sites = new SortedSet<ulong>();
        foreach (var (gpa, code) in executable)
        {
            // Every VMCALL (0F 01 C1) and VMMCALL (0F 01 D9) holds 0F 01: without those bytes there is nothing for the
            // decoder to confirm, and building its tables is most of a short run's start-up.
            if (code.AsSpan().IndexOf((ReadOnlySpan<byte>)[0x0F, 0x01]) < 0) continue;
            ulong end = gpa + (ulong)code.Length;
            var starts = symbols.Symbols.Where(s => s.Address >= gpa && s.Address < end).OrderBy(s => s.Address).ToList();
            if (starts.Count == 0)
            {
                sites.UnionWith(Disassembler.FindInstructions(code, gpa, Mnemonic.Vmcall, Mnemonic.Vmmcall));
                continue;
            }
            // Code before the first symbol (an entry point without a name) is decoded too.
            if (starts[0].Address > gpa) sites.UnionWith(Decode(code, gpa, gpa, starts[0].Address));
            for (int i = 0; i < starts.Count; i++)
            {
                if (starts[i].Kind == ImageSymbolKind.Object) continue;
                ulong to = i + 1 < starts.Count ? starts[i + 1].Address : end;
                sites.UnionWith(Decode(code, gpa, starts[i].Address, to));
            }
        }
        return [.. sites];
    }

    private static List<ulong> Decode(byte[] code, ulong segmentGpa, ulong from, ulong to) =>
        to <= from ? [] : Disassembler.FindInstructions(code.AsSpan((int)(from - segmentGpa), (int)(to - from)), from, Mnemonic.Vmcall, Mnemonic.Vmmcall);
}

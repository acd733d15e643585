using System.Diagnostics.CodeAnalysis;
using System.Text;
using HvBench.Vmm.Boot;
using HvBench.Vmm.Configuration;
using HvBench.Vmm.Loaders;

namespace HvBench.Fuzz;

/// <summary>
/// The parsers that read untrusted input, each fed one fuzzer input. Their contract (docs/reliability.md): bad input is
/// refused with the parser's own exception and a one-line message naming the file, nothing else escapes, nothing hangs.
/// A clean refusal is an ordinary outcome here; anything else, including a refusal whose message breaks that form,
/// leaves as an exception, which AFL++ records as a crash.
/// </summary>
internal static class FuzzTargets
{
    // Named like real files so that the parsers decide the format as they do for a user's file: an .elf name does
    // not make non-ELF bytes a flat binary (only .bin does), and the messages must start with these names.
    private const string ImageName = "input.elf";
    private const string ScenarioName = "input.json";

    // What `hvbench run IMAGE` passes with no flags: format decided by content and name, the default flat load
    // address, and segments below the one VP's stack at the top of the default 64 MiB of RAM.
    private static readonly ImageLoadOptions s_runDefaults = new()
    {
        HighestAddress = BootLayout.StacksBottom(ScenarioDefaults.MemoryBytes, ScenarioDefaults.Vcpus),
    };

    /// <summary>Finds a target by name; it returns what became of the input, as one line for <c>--replay</c>.</summary>
    public static bool TryGet(string name, [NotNullWhen(true)] out Func<byte[], string>? target)
    {
        target = name switch
        {
            "elf" => ParseImage,
            "scenario" => ParseScenario,
            _ => null,
        };
        return target is not null;
    }

    /// <summary>Feeds the bytes to <see cref="ImageLoader.Parse"/> as an image file.</summary>
    public static string ParseImage(byte[] input)
    {
        try
        {
            GuestImage image = ImageLoader.Parse(input, ImageName, s_runDefaults);
            return $"loaded: {image.Format}, {image.Segments.Count} segment(s), entry 0x{image.Entry:x}";
        }
        catch (ImageFormatException refusal)
        {
            return Refused(refusal, ImageName);
        }
    }

    /// <summary>Feeds the bytes, decoded as UTF-8, to <see cref="ScenarioParser.Parse"/> as a scenario file.</summary>
    public static string ParseScenario(byte[] input)
    {
        try
        {
            Scenario scenario = ScenarioParser.Parse(Encoding.UTF8.GetString(input), ScenarioName);
            return $"parsed: {scenario.EffectivePartitions.Count} partition(s)";
        }
        catch (ScenarioException refusal)
        {
            return Refused(refusal, ScenarioName);
        }
    }

    private static string Refused(Exception refusal, string sourceName)
    {
        // The CLI prints the message as its whole error line, so it must be one line that starts with the file.
        bool clean = refusal.Message.StartsWith(sourceName + ": ", StringComparison.Ordinal)
            && !refusal.Message.Any(BreaksTheLine)
            && refusal.InnerException is null;
        return clean ? $"refused: {refusal.Message}" : throw new UncleanRefusalException(refusal);
    }

    // What the parsers escape or replace in the user's text they quote (Quoting.IsControl in HvBench.Vmm): the C0 and
    // C1 controls, DEL, and Unicode's line and paragraph separators.
    private static bool BreaksTheLine(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';
}

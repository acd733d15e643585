using System.Text.RegularExpressions;

namespace HvBench.Cli;

/// <summary>Rewords System.CommandLine's parse errors for people: one line, and no .NET type names.</summary>
internal static partial class UsageMessages
{
    /// <summary>The one-line text for a parse error, e.g. <c>--vcpus: 'abc' is not a whole number</c> for
    /// System.CommandLine's "Cannot parse argument 'abc' for option '--vcpus' as expected type 'System.Nullable`1[System.Int32]'".</summary>
    public static string Plain(string message)
    {
        string line = Whitespace().Replace(message, " ").Trim();
        Match cannotParse = CannotParse().Match(line);
        if (!cannotParse.Success) return line;
        string type = cannotParse.Groups["type"].Value;
        string what = type.Contains("System.Int", StringComparison.Ordinal) || type.Contains("System.UInt", StringComparison.Ordinal) ? "a whole number"
            : type.Contains("System.Boolean", StringComparison.Ordinal) ? "true or false"
            : type.Contains("System.Double", StringComparison.Ordinal) ? "a number"
            : "a valid value";
        return $"{cannotParse.Groups["name"].Value}: '{cannotParse.Groups["value"].Value}' is not {what}";
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for (?:option|argument|command) '(?<name>[^']*)' as expected type '(?<type>[^']*)'\.?$")]
    private static partial Regex CannotParse();
}

namespace HvBench.Vmm.Configuration.Json;

/// <summary>Builds JSON paths in the form System.Text.Json prints them: <c>$.hyperv.ports[1].targetSint</c>, <c>$['odd name']</c>.</summary>
internal static class JsonPathText
{
    /// <summary>The whole document.</summary>
    public const string Root = "$";

    public static string Property(string parent, string name) =>
        IsPlainName(name) ? $"{parent}.{name}" : $"{parent}['{Quoting.Escape(Quoting.Shorten(name)).Replace("'", "\\'", StringComparison.Ordinal)}']";

    public static string Index(string parent, int index) => $"{parent}[{index}]";

    private static bool IsPlainName(string name)
    {
        if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] is '_' or '$'))
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '$'))
            {
                return false;
            }
        }

        return true;
    }
}

namespace HvBench.Vmm.Configuration;

/// <summary>
/// A scenario that cannot be used. <see cref="Exception.Message"/> is one line, <c>FILE: $.json.path: problem</c>
/// (for example <c>s.json: $.hyperv.ports[1].targetSint: 16 is out of range 0..15</c>), or <c>FILE: problem</c>
/// when the file cannot be read at all.
/// </summary>
public sealed class ScenarioException : Exception
{
    /// <summary>Creates the exception for a problem at a JSON path of a scenario file.</summary>
    public ScenarioException(string fileName, string? jsonPath, string problem)
        : base(Compose(fileName, jsonPath, problem))
    {
        FileName = fileName;
        JsonPath = jsonPath;
        Problem = problem;
    }

    /// <summary>The scenario file as the caller named it.</summary>
    public string FileName { get; }

    /// <summary>Where in the JSON the problem is (<c>$</c> is the whole document), or null when the file could not be read.</summary>
    public string? JsonPath { get; }

    /// <summary>What is wrong, with the allowed range or values where there are some.</summary>
    public string Problem { get; }

    private static string Compose(string fileName, string? jsonPath, string problem) =>
        Quoting.OneLine(jsonPath is null ? $"{fileName}: {problem}" : $"{fileName}: {jsonPath}: {problem}");
}

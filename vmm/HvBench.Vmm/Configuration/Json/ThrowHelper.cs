using System.Diagnostics.CodeAnalysis;

namespace HvBench.Vmm.Configuration.Json;

/// <summary>Cold throw helpers for scenario problems, so the checking code reads as a list of rules.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void Problem(string source, string path, string problem) => throw new ScenarioException(source, path, problem);
}

namespace HvBench.Vmm.Configuration.Json;

/// <summary>What a scalar scenario field holds, which decides how it is checked and how the schema describes it.</summary>
internal enum FieldFormat
{
    /// <summary>A JSON integer within <see cref="FieldRule.Range"/>.</summary>
    Integer,

    /// <summary>A string from <see cref="FieldRule.Allowed"/>.</summary>
    Name,

    /// <summary>A string that <see cref="MemorySize"/> parses.</summary>
    Size,

    /// <summary>A string that <see cref="Duration"/> parses.</summary>
    Duration,

    /// <summary>A non-empty file path.</summary>
    Path,

    /// <summary>Any string.</summary>
    Text,
}

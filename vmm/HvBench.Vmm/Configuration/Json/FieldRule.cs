namespace HvBench.Vmm.Configuration.Json;

/// <summary>How one scalar field (or each item of an array of scalars) of a scenario document is checked.</summary>
internal sealed record FieldRule(FieldFormat Format, string Expected)
{
    /// <summary>Allowed integers, for <see cref="FieldFormat.Integer"/>.</summary>
    public IntegerRange Range { get; init; }

    /// <summary>Allowed names, for <see cref="FieldFormat.Name"/>.</summary>
    public IReadOnlyList<string> Allowed { get; init; } = [];
}

namespace HvBench.Fuzz;

/// <summary>A parser refused its input with its own exception, but not in one clean line naming the file (or with an
/// exception wrapped inside): a broken contract, reported to AFL++ as a crash like any other exception.</summary>
internal sealed class UncleanRefusalException(Exception refusal)
    : Exception($"refusal is not one clean line naming the file: {refusal.Message}", refusal);

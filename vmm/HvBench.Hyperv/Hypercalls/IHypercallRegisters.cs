namespace HvBench.Hyperv;

/// <summary>Where one register convention keeps a hypercall's inputs (style.md section 7: decoding apart from semantics).</summary>
/// <remarks>Implemented by small structs and used through a generic constraint, so the JIT specialises the dispatcher
/// per convention and no call is virtual or boxed.</remarks>
internal interface IHypercallRegisters
{
    /// <summary>The 64-bit hypercall input value (control word).</summary>
    ulong InputValue { get; }

    /// <summary>The input parameter GPA of a slow call.</summary>
    ulong InputGpa { get; }

    /// <summary>The output parameter GPA of a slow call.</summary>
    ulong OutputGpa { get; }

    /// <summary>Fills <paramref name="block"/> from registers if this convention passes the call's input in registers.</summary>
    /// <returns>False if the input is in guest memory at <see cref="InputGpa"/>; true if registers supplied it, with
    /// <paramref name="status"/> saying whether they held a valid block.</returns>
    bool TryReadRegisterInput(HypercallCode code, bool fast, Span<byte> block, out HvStatus status);
}

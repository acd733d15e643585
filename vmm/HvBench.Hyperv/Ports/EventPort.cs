namespace HvBench.Hyperv;

/// <summary>An event port: <c>HvCallSignalEvent</c> sets flag <c>BaseFlagNumber + FlagNumber</c> of the target SINT's SIEF slot.</summary>
public sealed class EventPort : Port
{
    /// <summary>Flags per SINT slot of the SIEF page (256 bytes × 8).</summary>
    public const int FlagsPerSint = 2048;

    internal EventPort(Partition owner, uint portId, int targetVp, int targetSint, ushort baseFlagNumber, ushort flagCount)
        : base(owner, portId, targetVp, targetSint)
    {
        BaseFlagNumber = baseFlagNumber;
        FlagCount = flagCount;
    }

    /// <summary>First SIEF flag of the port within the SINT's 2048 flags.</summary>
    public ushort BaseFlagNumber { get; }

    /// <summary>Number of flags; a FlagNumber at or above it gives <c>HV_STATUS_INVALID_PARAMETER</c>.</summary>
    public ushort FlagCount { get; }

    /// <inheritdoc/>
    public override HvPortType Type => HvPortType.Event;
}

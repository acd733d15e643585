namespace HvBench.Hyperv;

/// <summary>An <c>HV_STATUS</c> value, bits 15:0 of the hypercall result value (tlfs.md section 2).</summary>
/// <param name="Value">The raw 16-bit status code.</param>
public readonly record struct HvStatus(ushort Value)
{
    /// <summary><c>HV_STATUS_SUCCESS</c> (0x0000).</summary>
    public static readonly HvStatus Success = new(0x0000);

    /// <summary><c>HV_STATUS_INVALID_HYPERCALL_CODE</c> (0x0002): unknown call code.</summary>
    public static readonly HvStatus InvalidHypercallCode = new(0x0002);

    /// <summary><c>HV_STATUS_INVALID_HYPERCALL_INPUT</c> (0x0003): reserved bits set, rep or variable-header misuse.</summary>
    public static readonly HvStatus InvalidHypercallInput = new(0x0003);

    /// <summary><c>HV_STATUS_INVALID_ALIGNMENT</c> (0x0004): input GPA unaligned, crossing a page or outside RAM.</summary>
    public static readonly HvStatus InvalidAlignment = new(0x0004);

    /// <summary><c>HV_STATUS_INVALID_PARAMETER</c> (0x0005).</summary>
    public static readonly HvStatus InvalidParameter = new(0x0005);

    /// <summary><c>HV_STATUS_ACCESS_DENIED</c> (0x0006): the caller lacks the privilege for the call.</summary>
    public static readonly HvStatus AccessDenied = new(0x0006);

    /// <summary><c>HV_STATUS_INVALID_PARTITION_STATE</c> (0x0007).</summary>
    public static readonly HvStatus InvalidPartitionState = new(0x0007);

    /// <summary><c>HV_STATUS_OPERATION_DENIED</c> (0x0008).</summary>
    public static readonly HvStatus OperationDenied = new(0x0008);

    /// <summary><c>HV_STATUS_INSUFFICIENT_MEMORY</c> (0x000B).</summary>
    public static readonly HvStatus InsufficientMemory = new(0x000B);

    /// <summary><c>HV_STATUS_INVALID_PARTITION_ID</c> (0x000D).</summary>
    public static readonly HvStatus InvalidPartitionId = new(0x000D);

    /// <summary><c>HV_STATUS_INVALID_VP_INDEX</c> (0x000E): the port's target VP does not exist.</summary>
    public static readonly HvStatus InvalidVpIndex = new(0x000E);

    /// <summary><c>HV_STATUS_NOT_FOUND</c> (0x0010).</summary>
    public static readonly HvStatus NotFound = new(0x0010);

    /// <summary><c>HV_STATUS_INVALID_PORT_ID</c> (0x0011): port deleted, owner not active, or wrong port type.</summary>
    public static readonly HvStatus InvalidPortId = new(0x0011);

    /// <summary><c>HV_STATUS_INVALID_CONNECTION_ID</c> (0x0012): no such connection in the calling partition.</summary>
    public static readonly HvStatus InvalidConnectionId = new(0x0012);

    /// <summary><c>HV_STATUS_INSUFFICIENT_BUFFERS</c> (0x0013): the port's message buffers are all in use.</summary>
    public static readonly HvStatus InsufficientBuffers = new(0x0013);

    /// <summary><c>HV_STATUS_NOT_ACKNOWLEDGED</c> (0x0014).</summary>
    public static readonly HvStatus NotAcknowledged = new(0x0014);

    /// <summary><c>HV_STATUS_INVALID_VP_STATE</c> (0x0015).</summary>
    public static readonly HvStatus InvalidVpState = new(0x0015);

    /// <summary><c>HV_STATUS_ACKNOWLEDGED</c> (0x0016).</summary>
    public static readonly HvStatus Acknowledged = new(0x0016);

    /// <summary><c>HV_STATUS_INVALID_SAVE_RESTORE_STATE</c> (0x0017).</summary>
    public static readonly HvStatus InvalidSaveRestoreState = new(0x0017);

    /// <summary><c>HV_STATUS_INVALID_SYNIC_STATE</c> (0x0018): target SynIC, SIEF/SIM page disabled or SINT masked.</summary>
    public static readonly HvStatus InvalidSynicState = new(0x0018);

    /// <summary><c>HV_STATUS_OBJECT_IN_USE</c> (0x0019).</summary>
    public static readonly HvStatus ObjectInUse = new(0x0019);

    /// <summary><c>HV_STATUS_NO_RESOURCES</c> (0x001D).</summary>
    public static readonly HvStatus NoResources = new(0x001D);

    /// <summary><c>HV_STATUS_TIME_OUT</c> (0x0078).</summary>
    public static readonly HvStatus TimeOut = new(0x0078);

    private static readonly HvStatus[] s_all =
    [
        Success, InvalidHypercallCode, InvalidHypercallInput, InvalidAlignment, InvalidParameter, AccessDenied,
        InvalidPartitionState, OperationDenied, InsufficientMemory, InvalidPartitionId, InvalidVpIndex, NotFound,
        InvalidPortId, InvalidConnectionId, InsufficientBuffers, NotAcknowledged, InvalidVpState, Acknowledged,
        InvalidSaveRestoreState, InvalidSynicState, ObjectInUse, NoResources, TimeOut,
    ];

    /// <summary>Every status defined in tlfs.md section 2, in ascending order.</summary>
    public static ReadOnlySpan<HvStatus> All => s_all;

    /// <summary>True for <see cref="Success"/>.</summary>
    public bool IsSuccess => Value == 0;

    /// <summary>The TLFS name (<c>HV_STATUS_…</c>); unknown values print as hex.</summary>
    public string Name => Value switch
    {
        0x0000 => "HV_STATUS_SUCCESS",
        0x0002 => "HV_STATUS_INVALID_HYPERCALL_CODE",
        0x0003 => "HV_STATUS_INVALID_HYPERCALL_INPUT",
        0x0004 => "HV_STATUS_INVALID_ALIGNMENT",
        0x0005 => "HV_STATUS_INVALID_PARAMETER",
        0x0006 => "HV_STATUS_ACCESS_DENIED",
        0x0007 => "HV_STATUS_INVALID_PARTITION_STATE",
        0x0008 => "HV_STATUS_OPERATION_DENIED",
        0x000B => "HV_STATUS_INSUFFICIENT_MEMORY",
        0x000D => "HV_STATUS_INVALID_PARTITION_ID",
        0x000E => "HV_STATUS_INVALID_VP_INDEX",
        0x0010 => "HV_STATUS_NOT_FOUND",
        0x0011 => "HV_STATUS_INVALID_PORT_ID",
        0x0012 => "HV_STATUS_INVALID_CONNECTION_ID",
        0x0013 => "HV_STATUS_INSUFFICIENT_BUFFERS",
        0x0014 => "HV_STATUS_NOT_ACKNOWLEDGED",
        0x0015 => "HV_STATUS_INVALID_VP_STATE",
        0x0016 => "HV_STATUS_ACKNOWLEDGED",
        0x0017 => "HV_STATUS_INVALID_SAVE_RESTORE_STATE",
        0x0018 => "HV_STATUS_INVALID_SYNIC_STATE",
        0x0019 => "HV_STATUS_OBJECT_IN_USE",
        0x001D => "HV_STATUS_NO_RESOURCES",
        0x0078 => "HV_STATUS_TIME_OUT",
        _ => "HV_STATUS_0x" + Value.ToString("X4", System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Returns <see cref="Name"/>.</summary>
    public override string ToString() => Name;
}

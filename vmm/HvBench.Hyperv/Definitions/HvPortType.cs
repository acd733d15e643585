namespace HvBench.Hyperv;

/// <summary><c>HV_PORT_TYPE</c> (Linux <c>hvhdk.h</c>; tlfs.md section 5).</summary>
public enum HvPortType
{
    /// <summary><c>HvPortTypeMessage</c>: receives <c>HvCallPostMessage</c>.</summary>
    Message = 1,

    /// <summary><c>HvPortTypeEvent</c>: receives <c>HvCallSignalEvent</c>.</summary>
    Event = 2,

    /// <summary><c>HvPortTypeMonitor</c> (not modelled).</summary>
    Monitor = 3,

    /// <summary><c>HvPortTypeDoorbell</c> (not modelled).</summary>
    Doorbell = 4,
}

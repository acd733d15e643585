namespace HvBench.Vmm.Configuration;

/// <summary>The kind of a port, with the values of <c>HV_PORT_TYPE</c> (tlfs.md section 5).</summary>
public enum PortType
{
    /// <summary><c>HvPortTypeMessage</c> (1): receives HvPostMessage into the target VP's SIM page; scenario name <c>message</c>.</summary>
    Message = 1,

    /// <summary><c>HvPortTypeEvent</c> (2): receives HvSignalEvent as SIEF flags; scenario name <c>event</c>.</summary>
    Event = 2,
}

namespace HvBench.Vmm.Configuration;

/// <summary>How a partition's guests pass hypercall inputs in registers (guest-abi.md, "Register conventions").</summary>
public enum HypercallConvention
{
    /// <summary>TLFS x64: <c>RCX</c> = hypercall input value, fast HvSignalEvent input in <c>RDX</c>; scenario name <c>tlfs</c>.</summary>
    Tlfs,

    /// <summary>The design card's form: <c>RAX</c> = 0x5D, <c>RBX</c> = ConnectionId, <c>RCX</c> = FlagNumber; scenario name <c>rax</c>.</summary>
    Rax,
}

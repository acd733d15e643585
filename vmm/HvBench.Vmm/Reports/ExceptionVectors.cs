namespace HvBench.Vmm.Reports;

/// <summary>Names of the x86 exception vectors 0..31 (Intel SDM vol. 3A, table 6-1), for fault reports.</summary>
public static class ExceptionVectors
{
    private static readonly string[] s_names =
    [
        "#DE divide error", "#DB debug exception", "NMI non-maskable interrupt", "#BP breakpoint", "#OF overflow",
        "#BR bound range exceeded", "#UD invalid opcode", "#NM device not available", "#DF double fault",
        "coprocessor segment overrun", "#TS invalid TSS", "#NP segment not present", "#SS stack-segment fault",
        "#GP general protection fault", "#PF page fault", "vector 15 (reserved)", "#MF x87 floating-point error",
        "#AC alignment check", "#MC machine check", "#XM SIMD floating-point exception", "#VE virtualization exception",
        "#CP control protection exception", "vector 22 (reserved)", "vector 23 (reserved)", "vector 24 (reserved)",
        "vector 25 (reserved)", "vector 26 (reserved)", "vector 27 (reserved)", "#HV hypervisor injection exception",
        "#VC VMM communication exception", "#SX security exception", "vector 31 (reserved)",
    ];

    /// <summary>"#PF page fault" for 14; "vector n" outside 0..31.</summary>
    public static string Name(ulong vector) => vector < (ulong)s_names.Length ? s_names[vector] : $"vector {vector}";

    /// <summary>True for the vectors whose exceptions push an error code.</summary>
    public static bool HasErrorCode(ulong vector) => vector is 8 or 10 or 11 or 12 or 13 or 14 or 17 or 21 or 29 or 30;

    /// <summary>The bits of a #PF error code in words: "not present, read" or "protection violation, write, user".</summary>
    public static string DescribePageFaultError(ulong errorCode)
    {
        var parts = new List<string>
        {
            (errorCode & 1) == 0 ? "not present" : "protection violation",
            (errorCode & 0x10) != 0 ? "instruction fetch" : (errorCode & 2) != 0 ? "write" : "read",
        };
        if ((errorCode & 4) != 0) parts.Add("user");
        if ((errorCode & 8) != 0) parts.Add("reserved bit set");
        if ((errorCode & 0x20) != 0) parts.Add("protection key");
        if ((errorCode & 0x40) != 0) parts.Add("shadow stack");
        return string.Join(", ", parts);
    }
}

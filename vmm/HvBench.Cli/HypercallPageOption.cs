using System.CommandLine;
using HvBench.Vmm.Intercepts;

namespace HvBench.Cli;

/// <summary><c>--hypercall-page vmcall|io</c>, shared by <c>run</c> and <c>bench</c>.</summary>
internal static class HypercallPageOption
{
    public static Option<string?> Create()
    {
        var option = new Option<string?>("--hypercall-page")
        {
            Description = $"what the hypercall page holds: vmcall (vmcall; ret, the default) or io (out 0x{IoHypercallPage.Port:X2}, al; ret: " +
                "a port-I/O exit, which leaves every debug register to direct VMCALL sites)",
        };
        option.AcceptOnlyFromAmong("vmcall", "io");
        return option;
    }

    public static HypercallPageKind Parse(string? value) => value == "io" ? HypercallPageKind.Io : HypercallPageKind.Vmcall;
}

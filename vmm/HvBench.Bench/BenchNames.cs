using HvBench.Guest.Runtime;
using HvBench.Vmm.Intercepts;

namespace HvBench.Bench;

/// <summary>The words figure ids and reports use for conventions, routes and pages.</summary>
public static class BenchNames
{
    /// <summary><c>tlfs</c> or <c>rax</c>.</summary>
    public static string Of(HypercallConvention convention) => convention == HypercallConvention.Rax ? "rax" : "tlfs";

    /// <summary><c>vmcall</c> or <c>io</c> (the values of <c>--hypercall-page</c>).</summary>
    public static string Of(HypercallPageKind page) => page == HypercallPageKind.Io ? "io" : "vmcall";

    /// <summary>How a call travels: <c>page</c> (the VMCALL hypercall page), <c>io-page</c> or <c>direct</c> (a VMCALL in
    /// the image's own code).</summary>
    public static string Route(HypercallRoute route, HypercallPageKind page) =>
        route == HypercallRoute.DirectVmcall ? "direct" : page == HypercallPageKind.Io ? "io-page" : "page";

    /// <summary>The guest's convention for the partition's.</summary>
    public static Convention GuestConvention(HypercallConvention convention) => convention == HypercallConvention.Rax ? Convention.Rax : Convention.Tlfs;
}

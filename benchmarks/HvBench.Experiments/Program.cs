using HvBench.Experiments.UserSpaceLapic;

// Measurement experiments (README.md). `user-space-lapic [--runs N] [--warmup N] [--rounds N] [--paths a,a-isr,a-isr-set,b]`.
if (args.Length == 0 || args[0] != "user-space-lapic")
{
    Console.Error.WriteLine("usage: HvBench.Experiments user-space-lapic [--runs 2] [--warmup 1000] [--rounds 20000] [--paths a,a-isr,a-isr-set,b]");
    return 2;
}
int runs = 2, warmup = 1000, rounds = 20000;
var paths = new List<SignalPath> { SignalPath.InKernel, SignalPath.InKernelIsrClear, SignalPath.InKernelIsrRewrite, SignalPath.UserSpace };
for (int i = 1; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--runs": runs = int.Parse(args[i + 1]); break;
        case "--warmup": warmup = int.Parse(args[i + 1]); break;
        case "--rounds": rounds = int.Parse(args[i + 1]); break;
        case "--paths":
            paths = [.. args[i + 1].Split(',').Select(p => p switch
            {
                "a" => SignalPath.InKernel,
                "a-isr" => SignalPath.InKernelIsrClear,
                "a-isr-set" => SignalPath.InKernelIsrRewrite,
                "b" => SignalPath.UserSpace,
                _ => throw new ArgumentException($"unknown path {p}"),
            })];
            break;
        default:
            Console.Error.WriteLine($"unknown option {args[i]}");
            return 2;
    }
}
return UserSpaceLapicExperiment.Run(paths, runs, warmup, rounds, Console.Out);

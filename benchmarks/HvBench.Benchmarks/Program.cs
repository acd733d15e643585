using BenchmarkDotNet.Running;

// Host-side micro-benchmarks: `dotnet run -c Release -- --filter '*SignalEvent*' --job short`.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;

using HvBench.Fuzz;
using HvBench.Vmm.Loaders;
using SharpFuzz;

// HvBench.Fuzz TARGET               under afl-fuzz: run the target on every input AFL++ writes to stdin, in this process
// HvBench.Fuzz TARGET --replay FILE...   without AFL++: run it once on each file and say what happened (a crash's
//                                        exception with its stack trace), to reproduce and triage findings
const string Usage = "usage: HvBench.Fuzz elf|scenario [--replay FILE...]";

if (args.Length == 0 || !FuzzTargets.TryGet(args[0], out Func<byte[], string>? target))
{
    Console.Error.WriteLine(Usage);
    return 2;
}

if (args.Length == 1)
{
    // Persistent mode: one process serves every input, so a run costs microseconds, not a .NET start-up.
    Fuzzer.Run(stream =>
    {
        using var input = new MemoryStream();
        stream.CopyTo(input);
        target(input.ToArray());
    });
    return 0;
}

if (args[1] != "--replay" || args.Length < 3)
{
    Console.Error.WriteLine(Usage);
    return 2;
}

// SharpFuzz's counters write to AFL's shared memory, which only afl-fuzz sets up: outside it the instrumented copy that
// fuzz/run.sh publishes dies with an access violation before the first file.
if (typeof(ImageLoader).Assembly.GetReferencedAssemblies().Any(name => name.Name == "SharpFuzz.Common"))
{
    Console.Error.WriteLine("HvBench.Fuzz: this HvBench.Vmm.dll is instrumented for afl-fuzz; replay with the plain build " +
        "(dotnet fuzz/HvBench.Fuzz/bin/Release/net10.0/HvBench.Fuzz.dll)");
    return 2;
}

int crashes = 0;
foreach (string file in args[2..])
{
    try
    {
        Console.WriteLine($"{file}: {target(File.ReadAllBytes(file))}");
    }
    catch (Exception e)
    {
        crashes++;
        Console.WriteLine($"{file}: CRASH {e}");
    }
}

return crashes == 0 ? 0 : 1;

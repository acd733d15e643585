using System.Buffers.Binary;
using System.Diagnostics;
using HvBench.Kvm;
using HvBench.Tests;
using HvBench.Vmm.Boot;
using HvBench.Vmm.Loaders;

namespace HvBench.Vmm.Tests.Loaders;

/// <summary>A corpus of 1,200 mutations (fixed seed) of the real images in images/, spread over every file there:
/// bit flips, header bytes, header and program-header fields set to boundary values, truncations, zeroed ranges and
/// appended garbage. Each is refused with one line naming the file, or loads; each one that loads runs on KVM to a
/// verdict (a fault, a timeout, a failure or a pass) or is refused before the run with one line. Nothing throws
/// anything else. Every cut of every image is refused with one line too. A soak run sets
/// <c>HVBENCH_SOAK_LOADER_MUTATIONS</c> (and optionally <c>HVBENCH_SOAK_LOADER_SEED</c>, decimal or 0x-hex) and
/// runs this fixture alone (docs/reliability.md); a failure names the mutation's number and the seed.</summary>
[TestFixture]
public sealed class MutationsOfTheCheckedInImages
{
    /// <summary>The corpus's size for a soak run.</summary>
    public const string MutationsVariable = "HVBENCH_SOAK_LOADER_MUTATIONS";

    /// <summary>The corpus's seed for a soak run.</summary>
    public const string SeedVariable = "HVBENCH_SOAK_LOADER_SEED";

    private const int DefaultSeed = 0x1D_0E1F;
    private const int DefaultMutations = 1200;
    private static readonly (int Seed, int Mutations) s_settings =
        Settings(Environment.GetEnvironmentVariable(SeedVariable), Environment.GetEnvironmentVariable(MutationsVariable));
    private const ulong Ram = 64UL << 20;
    private const int Vcpus = 2;

    private static readonly ulong[] s_boundaries =
    [
        0, 1, 8, 56, 64, 0xFFF, 0x1000, 0xFFFFF, 0x100000, 0x100001, 0x7FFF_FFFF, 0xFFFF_FFFF, Ram, Ram - 1, 0xFEE00000,
        0x8000_0000_0000_0000, ulong.MaxValue, ulong.MaxValue - 0xFFF,
    ];

    private static readonly ImageLoadOptions s_options = new() { HighestAddress = BootLayout.StacksBottom(Ram, Vcpus) };

    private static readonly Lazy<(string Name, byte[] Bytes, string Mutation)[]> s_corpus = new(BuildCorpus);

    [Test, Category("Unit")]
    public void AreEachRefusedWithOneLineNamingTheFileOrLoaded()
    {
        var failures = new List<string>();
        var reasons = new SortedSet<string>(StringComparer.Ordinal);
        int loaded = 0;
        foreach (var (name, bytes, mutation) in s_corpus.Value)
        {
            switch (Parse(name, bytes, out string problem))
            {
                case Outcome.Loaded: loaded++; break;
                case Outcome.Refused: reasons.Add(System.Text.RegularExpressions.Regex.Replace(problem, "0x[0-9a-fA-F]+|[0-9]+", "N")); break;
                case Outcome.Broken: failures.Add($"{name} ({mutation}): {problem}"); break;
            }
        }
        TestContext.Out.WriteLine($"{s_corpus.Value.Length} mutations of {ImageFiles().Length} images: {loaded} load, {s_corpus.Value.Length - loaded} refused " +
            $"for {reasons.Count} kinds of reason:\n  {string.Join("\n  ", reasons)}");
        Assert.That(s_corpus.Value, Has.Length.EqualTo(s_settings.Mutations));
        Assert.That(failures, Is.Empty);
        Assert.That(loaded, Is.Positive.And.LessThan(s_corpus.Value.Length), "the corpus reaches both outcomes");
    }

    [Test, Category("Unit")]
    public void AreRefusedWithOneLineWhenCutAtAnyLength()
    {
        var failures = new List<string>();
        int cuts = 0;
        foreach (string path in ImageFiles())
        {
            byte[] full = File.ReadAllBytes(path);
            string name = Path.GetFileName(path);
            for (int length = 0; length < full.Length; length++, cuts++)
            {
                Outcome outcome = Parse(name, full[..length], out string problem);
                if (outcome != Outcome.Refused) failures.Add($"{name} cut to {length} bytes: {(outcome == Outcome.Loaded ? "loaded" : problem)}");
            }
        }
        TestContext.Out.WriteLine($"{cuts:N0} cuts of {ImageFiles().Length} images, each refused");
        Assert.That(failures, Is.Empty);
    }

    [Test, Category("Kvm"), CancelAfter(600_000)]
    public void ThatLoadEachRunToAVerdict(CancellationToken token)
    {
        KvmRequirement.Require();
        // A mutation that leaves the loaded bytes and the entry as they were runs as the original did: run each
        // distinct load once.
        var distinct = new Dictionary<string, (string Name, string Mutation, GuestImage Image)>();
        foreach (var (name, bytes, mutation) in s_corpus.Value)
        {
            if (Parse(name, bytes, out _) != Outcome.Loaded) continue;
            GuestImage image = ImageLoader.Parse(bytes, name, s_options);
            distinct.TryAdd(Fingerprint(image), (name, mutation, image));
        }

        var outcomes = new Dictionary<string, int>();
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();
        using var kvm = KvmSystem.Open();
        foreach (var (name, mutation, image) in distinct.Values)
        {
            string outcome;
            try
            {
                var config = new MachineConfig { Image = image, VcpuCount = Vcpus, MemoryBytes = Ram, Timeout = TimeSpan.FromMilliseconds(500) };
                using var machine = Machine.Create(config, kvm);
                RunResult result = machine.Run(token);
                outcome = result.Outcome.ToString();
                if (result.Outcome is RunOutcome.HostError or RunOutcome.Cancelled) failures.Add($"{name} ({mutation}): {result.Verdict}");
            }
            catch (MachineException e) when (!e.Message.Contains('\n') && e.InnerException is null)
            {
                outcome = "refused before the run";
            }
            catch (Exception e)
            {
                failures.Add($"{name} ({mutation}): {e.GetType().Name}: {e.Message}");
                continue;
            }
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }
        TestContext.Out.WriteLine($"{distinct.Count} distinct loads run in {clock.Elapsed.TotalSeconds:0.0} s: " +
            string.Join(", ", outcomes.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value}")));
        Assert.That(failures, Is.Empty);
    }

    [Test, Category("Unit")]
    public void TakeTheirSeedAndCountFromTheSoakVariables()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Settings(null, null), Is.EqualTo((DefaultSeed, DefaultMutations)));
            Assert.That(Settings("0x5EED", "100000"), Is.EqualTo((0x5EED, 100_000)));
            Assert.That(Settings("42", "0"), Is.EqualTo((42, DefaultMutations)), "a count that is not positive keeps the default");
            Assert.That(Settings("0xFFFFFFFF", null).Seed, Is.EqualTo(-1), "any 32-bit hex seed");
        });
    }

    private enum Outcome { Loaded, Refused, Broken }

    private static Outcome Parse(string name, byte[] bytes, out string problem)
    {
        problem = "";
        try
        {
            GuestImage image = ImageLoader.Parse(bytes, name, s_options);
            problem = TestImages.CheckInvariants(image) ?? "";
            return problem.Length == 0 ? Outcome.Loaded : Outcome.Broken;
        }
        catch (ImageFormatException e)
        {
            problem = e.Message[Math.Min(e.Message.Length, name.Length + 2)..];
            if (e.Message.StartsWith(name + ": ", StringComparison.Ordinal) && !e.Message.Any(char.IsControl)) return Outcome.Refused;
            problem = $"badly formed message: {e.Message}";
            return Outcome.Broken;
        }
        catch (Exception e)
        {
            problem = $"{e.GetType().Name}: {e.Message}";
            return Outcome.Broken;
        }
    }

    private static string Fingerprint(GuestImage image)
    {
        var hash = new HashCode();
        hash.Add(image.Entry);
        foreach (ImageSegment segment in image.Segments)
        {
            hash.Add(segment.Gpa);
            hash.Add(segment.MemorySize);
            hash.Add(segment.Executable);
            hash.AddBytes(segment.Data);
        }
        return $"{hash.ToHashCode()}:{image.Entry}:{image.Segments.Count}";
    }

    /// <summary>The seed and number of mutations: the defaults, or what a soak run's variables say.</summary>
    internal static (int Seed, int Mutations) Settings(string? seedText, string? mutationsText)
    {
        int seed = seedText is null ? DefaultSeed
            : seedText.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                ? unchecked((int)uint.Parse(seedText.AsSpan(2), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture))
                : int.Parse(seedText, System.Globalization.CultureInfo.InvariantCulture);
        int mutations = int.TryParse(mutationsText, System.Globalization.CultureInfo.InvariantCulture, out int soak) && soak > 0 ? soak : DefaultMutations;
        return (seed, mutations);
    }

    private static string[] ImageFiles() => [.. Directory.GetFiles(RepositoryPaths.Images, "*.elf").Order(StringComparer.Ordinal)];

    private static (string, byte[], string)[] BuildCorpus()
    {
        string[] files = ImageFiles();
        var originals = files.Select(File.ReadAllBytes).ToArray();
        var (seed, mutations) = s_settings;
        var random = new Random(seed);
        var corpus = new List<(string, byte[], string)>(mutations);
        for (int m = 0; m < mutations; m++)
        {
            int which = m % files.Length;
            byte[] bytes = (byte[])originals[which].Clone();
            var described = new List<string>();
            int edits = random.Next(1, 4);
            for (int k = 0; k < edits; k++) bytes = Mutate(bytes, random, described);
            corpus.Add(($"{Path.GetFileNameWithoutExtension(files[which])}-m{m}.elf", bytes, $"seed 0x{seed:X}: {string.Join(", ", described)}"));
        }
        return [.. corpus];
    }

    private static byte[] Mutate(byte[] bytes, Random random, List<string> described)
    {
        if (bytes.Length == 0) return bytes;
        // Program headers where the (maybe already damaged) ELF header says, if that is inside the file.
        ulong phoff = bytes.Length >= 64 ? BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(32)) : 0;
        int phnum = bytes.Length >= 64 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(56)) : 0;
        if (phoff + (ulong)phnum * 56 > (ulong)bytes.Length) phnum = 0;
        switch (random.Next(8))
        {
            case 0:
            {
                int at = random.Next(bytes.Length);
                int bit = random.Next(8);
                bytes[at] ^= (byte)(1 << bit);
                described.Add($"flip bit {bit} of byte {at}");
                return bytes;
            }
            case 1:
            {
                int at = random.Next(Math.Min(64, bytes.Length));
                bytes[at] = (byte)random.Next(256);
                described.Add($"ELF header byte {at} = 0x{bytes[at]:x2}");
                return bytes;
            }
            case 2:
            case 3:
            {
                // An ELF header field or a program header field, set to a boundary value or to noise.
                (int at, int width) = random.Next(2) == 0 || phnum == 0
                    ? Pick(random, [(16, 2), (18, 2), (20, 4), (24, 8), (32, 8), (40, 8), (52, 2), (54, 2), (56, 2), (58, 2), (60, 2), (62, 2)], 0)
                    : Pick(random, [(0, 4), (4, 4), (8, 8), (16, 8), (24, 8), (32, 8), (40, 8), (48, 8)], (int)phoff + random.Next(phnum) * 56);
                if (at + width > bytes.Length) return bytes;
                ulong value = random.Next(3) == 0 ? (ulong)random.NextInt64() : s_boundaries[random.Next(s_boundaries.Length)];
                if (random.Next(5) == 0) value = (ulong)(bytes.Length + random.Next(-64, 64));
                Span<byte> all = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(all, value);
                all[..width].CopyTo(bytes.AsSpan(at, width));
                described.Add($"{width}-byte field at {at} = 0x{value:x}");
                return bytes;
            }
            case 4:
            {
                int length = random.Next(bytes.Length);
                described.Add($"cut to {length} bytes");
                return bytes[..length];
            }
            case 5:
            {
                int at = random.Next(bytes.Length);
                int length = Math.Min(bytes.Length - at, random.Next(1, 256));
                bytes.AsSpan(at, length).Clear();
                described.Add($"zero {length} bytes at {at}");
                return bytes;
            }
            case 6:
            {
                byte[] garbage = new byte[random.Next(1, 4096)];
                random.NextBytes(garbage);
                described.Add($"append {garbage.Length} random bytes");
                return [.. bytes, .. garbage];
            }
            default:
            {
                int at = random.Next(bytes.Length);
                int length = Math.Min(bytes.Length - at, random.Next(1, 64));
                random.NextBytes(bytes.AsSpan(at, length));
                described.Add($"{length} random bytes at {at}");
                return bytes;
            }
        }
    }

    private static (int At, int Width) Pick(Random random, (int Offset, int Width)[] fields, int start)
    {
        (int offset, int width) = fields[random.Next(fields.Length)];
        return (start + offset, width);
    }
}

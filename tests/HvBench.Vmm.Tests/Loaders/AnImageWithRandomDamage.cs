using System.Buffers.Binary;
using System.Diagnostics;

namespace HvBench.Vmm.Tests.Loaders;

[TestFixture]
[Category("Unit")]
public sealed class AnImageWithRandomDamage
{
    // Fixed, so a failure names a mutation that can be replayed.
    private const int Seed = 0x48_76_42;
    private const int Mutations = 20_000;

    // Values that sit on the loader's decision boundaries: zero, one, the file length and just
    // past it, the boot area limit, the usable RAM limit, and the top of each width.
    private static readonly ulong[] s_interesting =
    [
        0, 1, 2, 24, 56, 64, 0xFFFF, 0x7FFF_FFFF, 0xFFFF_FFFF, 0x8000_0000_0000_0000, ulong.MaxValue, ulong.MaxValue - 55,
        0x100000, 0xFFFFF, TestImages.UsableEnd, TestImages.UsableEnd - 1, TestImages.UsableEnd + 1,
    ];

    [Test]
    public void NeverThrowsAnythingButImageFormatExceptionNorLoadsAnythingMisplaced()
    {
        byte[] original = TestImages.Sample();
        var random = new Random(Seed);
        var failures = new List<string>();
        int loaded = 0;
        var clock = Stopwatch.StartNew();
        for (int m = 0; m < Mutations; m++)
        {
            byte[] bytes = (byte[])original.Clone();
            int edits = random.Next(1, 4);
            var described = new List<string>();
            for (int k = 0; k < edits; k++)
            {
                described.Add(Mutate(bytes, original, random));
            }

            string? problem = TestImages.CheckOutcome(bytes, "fuzz.elf", out bool ok);
            if (problem is not null)
            {
                failures.Add($"mutation {m} ({string.Join(", ", described)}): {problem}");
            }

            loaded += ok ? 1 : 0;
        }

        TestContext.Out.WriteLine($"{Mutations} mutations (seed {Seed}): {loaded} loaded, {Mutations - loaded} refused, {clock.ElapsedMilliseconds} ms");
        Assert.That(failures, Is.Empty);
    }

    private static string Mutate(byte[] bytes, byte[] original, Random random)
    {
        int shoff = (int)BinaryPrimitives.ReadUInt64LittleEndian(original.AsSpan(TestImages.EShoff));
        int symtab = TestImages.Shdr(original, TestImages.SectionOfType(original, 2));
        int symbols = (int)BinaryPrimitives.ReadUInt64LittleEndian(original.AsSpan(symtab + 24));
        int phnum = BinaryPrimitives.ReadUInt16LittleEndian(original.AsSpan(TestImages.EPhnum));
        switch (random.Next(5))
        {
            case 0:
            {
                int at = random.Next(bytes.Length);
                int bit = random.Next(8);
                bytes[at] ^= (byte)(1 << bit);
                return $"flip bit {bit} of byte {at}";
            }

            case 1:
            {
                // Any byte of the headers the loader reads: ELF header, program headers, section headers.
                int at = random.Next(3) switch
                {
                    0 => random.Next(64),
                    1 => 64 + random.Next(phnum * TestImages.PhdrSize),
                    _ => shoff + random.Next(bytes.Length - shoff),
                };
                byte value = (byte)random.Next(256);
                bytes[at] = value;
                return $"byte {at} = 0x{value:x2}";
            }

            default:
            {
                // A whole 2-, 4- or 8-byte field in a header or symbol, set to a boundary value or noise.
                (int at, int width) = random.Next(4) switch
                {
                    0 => Pick(random, [(16, 2), (18, 2), (20, 4), (24, 8), (32, 8), (40, 8), (54, 2), (56, 2), (58, 2), (60, 2), (62, 2)], 0),
                    1 => Pick(random, [(0, 4), (4, 4), (8, 8), (16, 8), (24, 8), (32, 8), (40, 8), (48, 8)], 64 + (random.Next(phnum) * TestImages.PhdrSize)),
                    2 => Pick(random, [(4, 4), (24, 8), (32, 8), (40, 4), (44, 4), (56, 8)], shoff + (random.Next(1, 8) * TestImages.ShdrSize)),
                    _ => Pick(random, [(0, 4), (4, 1), (6, 2), (8, 8), (16, 8)], symbols + (random.Next(1, 6) * 24)),
                };
                ulong value = random.Next(3) == 0 ? (ulong)random.NextInt64() : s_interesting[random.Next(s_interesting.Length)];
                if (random.Next(4) == 0)
                {
                    value = (ulong)bytes.Length + (ulong)random.Next(-64, 64);
                }

                Span<byte> field = bytes.AsSpan(at, width);
                Span<byte> all = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(all, value);
                all[..width].CopyTo(field);
                return $"{width}-byte field at {at} = 0x{value:x}";
            }
        }
    }

    private static (int At, int Width) Pick(Random random, (int Offset, int Width)[] fields, int start)
    {
        (int offset, int width) = fields[random.Next(fields.Length)];
        return (start + offset, width);
    }
}

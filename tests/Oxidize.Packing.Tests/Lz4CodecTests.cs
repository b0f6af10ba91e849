using System.Diagnostics;
using System.Reflection;
using System.Text;
using Oxidize.Packing.Lz4;

namespace Oxidize.Packing.Tests;

/// <summary>
/// The LZ4 block codec, K4os.Compression.LZ4 at its fast level and at level 9: both round-trip
/// everything and always write the same bytes for the same input; liblz4 (the reference, through
/// lz4-block-tool) and the host's C decoder decode what they write, and the C# and C decoders decode
/// what liblz4 writes. Malformed blocks: the C decoder refuses them all with exit code 1 rather than
/// a signal; the C# decoder (K4os's port of LZ4_decompress_safe) refuses what liblz4 refuses, with
/// InvalidDataException. The C decoder is strict about the end-of-block rules, so every block it
/// decodes also shows the encoders follow them.
/// </summary>
[TestClass]
public sealed class Lz4CodecTests(TestContext testContext)
{
    private static string RuntimeDirectory => Path.GetDirectoryName(typeof(object).Assembly.Location)!;

    private static string CoreLib => Path.Combine(RuntimeDirectory, "System.Private.CoreLib.dll");

    private static string Tool
    {
        get
        {
            string path = Path.Combine(RepoPaths.Root, "artifacts", "host", "lz4-block-tool");
            return File.Exists(path) ? path : throw new InvalidOperationException(
                $"{path} is missing: run make -C src/Oxidize.Host OUT=$PWD/artifacts/host (needs liblz4-dev).");
        }
    }

    // ---- inputs ----

    /// <summary>Deterministic synthetic inputs around every size rule of the format, plus large ones.</summary>
    private static List<(string Name, byte[] Data)> SyntheticInputs()
    {
        var random = new Random(20_251_122);
        var inputs = new List<(string, byte[])> { ("empty", []) };
        // 1..40 bytes covers the 5-literal and 12-byte end-of-block rules and the 13-byte minimum.
        for (int length = 1; length <= 40; length++)
        {
            inputs.Add(($"random-{length}", RandomBytes(random, length)));
            inputs.Add(($"zeros-{length}", new byte[length]));
            inputs.Add(($"abc-{length}", Repeat("abc"u8, length)));
            inputs.Add(($"doubled-{length}", Doubled(random, length)));
        }
        // Length-field boundaries (15, 15 + 255), the 64 KiB window and LZ4_compress_default's table switch at 65547.
        foreach (int length in new[] { 64, 270, 271, 526, 4096, 65535, 65536, 65546, 65547, 65548, 65600, 200_000 })
        {
            inputs.Add(($"random-{length}", RandomBytes(random, length)));
            inputs.Add(($"zeros-{length}", new byte[length]));
            inputs.Add(($"period7-{length}", Repeat("0123456"u8, length)));
            inputs.Add(($"text-{length}", Text(random, length)));
        }
        inputs.Add(("random-1M", RandomBytes(random, 1 << 20)));
        inputs.Add(("zeros-3M", new byte[3 << 20]));
        inputs.Add(("text-2M", Text(random, 2 << 20)));
        inputs.Add(("far-copies-3M", FarCopies(random, 3 << 20)));
        return inputs;
    }

    /// <summary>Real files of the kinds a packed app carries: managed assemblies and ELF libraries.</summary>
    private static List<(string Name, byte[] Data)> RealFiles() =>
    [
        ("System.Runtime.dll", File.ReadAllBytes(Path.Combine(RuntimeDirectory, "System.Runtime.dll"))),
        ("System.Text.Json.dll", File.ReadAllBytes(Path.Combine(RuntimeDirectory, "System.Text.Json.dll"))),
        ("System.Private.CoreLib.dll[..3M]", File.ReadAllBytes(CoreLib)[..(3 << 20)]),
        ("libSystem.Native.so", File.ReadAllBytes(Path.Combine(RuntimeDirectory, "libSystem.Native.so"))),
        ("libclrjit.so", File.ReadAllBytes(Path.Combine(RuntimeDirectory, "libclrjit.so"))),
    ];

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Repeat(ReadOnlySpan<byte> pattern, int length)
    {
        var bytes = new byte[length];
        for (int i = 0; i < length; i++)
            bytes[i] = pattern[i % pattern.Length];
        return bytes;
    }

    // Random bytes followed by a copy of themselves: a match that would run to the very end.
    private static byte[] Doubled(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes.AsSpan(0, (length + 1) / 2));
        bytes.AsSpan(0, length / 2).CopyTo(bytes.AsSpan((length + 1) / 2));
        return bytes;
    }

    private static byte[] Text(Random random, int length)
    {
        string[] words = ["the", "packed", "resource", "assembly", "runtime", "host", "native", "library", "entry", "offset", "System", "Private", "CoreLib", "\n", "=", "0x7F"];
        var text = new StringBuilder(length + 16);
        while (text.Length < length)
            text.Append(words[random.Next(words.Length)]).Append(random.Next(4) == 0 ? ", " : " ");
        return Encoding.ASCII.GetBytes(text.ToString(0, length));
    }

    // Random runs and copies of earlier runs from up to 70 000 bytes back: offsets at and past 65535.
    private static byte[] FarCopies(Random random, int length)
    {
        var bytes = new byte[length];
        int position = 0;
        while (position < length)
        {
            int run = Math.Min(length - position, random.Next(1, 300));
            int distance = random.Next(1, 70_000);
            if (distance <= position && random.Next(3) != 0)
            {
                for (int i = 0; i < run; i++)
                    bytes[position + i] = bytes[position - distance + i];
            }
            else
            {
                random.NextBytes(bytes.AsSpan(position, run));
            }
            position += run;
        }
        return bytes;
    }

    // ---- helpers ----

    private static byte[] Compress(byte[] data, bool highCompression)
    {
        var output = new byte[Lz4Codec.MaxCompressedLength(data.Length)];
        int length = highCompression ? Lz4Codec.CompressHighCompression(data, output) : Lz4Codec.Compress(data, output);
        Assert.IsLessThanOrEqualTo(output.Length, length);
        return output[..length];
    }

    private static void AssertDecodes(byte[] block, byte[] expected, string because)
    {
        var output = new byte[expected.Length];
        Assert.AreEqual(expected.Length, Lz4Codec.Decompress(block, output), because);
        Assert.IsTrue(output.AsSpan().SequenceEqual(expected), $"{because}: decoded bytes differ");
        // Room to spare changes nothing (the C decoder's fast paths depend on it; this one must not either).
        var roomy = new byte[expected.Length + 100];
        Assert.AreEqual(expected.Length, Lz4Codec.Decompress(block, roomy), because);
        Assert.IsTrue(roomy.AsSpan(0, expected.Length).SequenceEqual(expected), $"{because}: decoded bytes differ with room to spare");
    }

    private sealed record ToolResult(int ExitCode, byte[] Stdout, string Stderr);

    /// <summary>Runs lz4-block-tool with binary stdin and stdout (NativeTool.Run handles text only).</summary>
    private static ToolResult RunTool(byte[] stdin, params string[] arguments)
    {
        var start = new ProcessStartInfo(Tool) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = new MemoryStream();
        Task copyStdout = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        try
        {
            process.StandardInput.BaseStream.Write(stdin);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The tool stopped reading (it failed early); its exit code and stderr tell why.
        }
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"lz4-block-tool {string.Join(' ', arguments)} did not finish in 60 s");
        }
        copyStdout.Wait();
        return new ToolResult(process.ExitCode, stdout.ToArray(), stderr.Result);
    }

    private static byte[] ToolOutput(byte[] stdin, params string[] arguments)
    {
        var result = RunTool(stdin, arguments);
        Assert.AreEqual(0, result.ExitCode, $"lz4-block-tool {string.Join(' ', arguments)}: {result.Stderr}");
        return result.Stdout;
    }

    private static void AssertToolRefuses(byte[] block, int outputSize, string because)
    {
        var result = RunTool(block, "decompress", outputSize.ToString());
        // 1 is the tool's own failure exit; a crash would show as 128 + the signal number.
        Assert.AreEqual(1, result.ExitCode, $"{because}: {result.Stderr}");
        StringAssert.StartsWith(result.Stderr, "lz4-block-tool: ", because);
    }

    // ---- round trips ----

    [TestMethod]
    public void BothEncodersRoundTripSyntheticInputs()
    {
        foreach (var (name, data) in SyntheticInputs())
        {
            AssertDecodes(Compress(data, highCompression: false), data, $"fast {name}");
            AssertDecodes(Compress(data, highCompression: true), data, $"HC {name}");
        }
    }

    [TestMethod]
    public void BothEncodersRoundTripRealFiles()
    {
        foreach (var (name, data) in RealFiles())
        {
            AssertDecodes(Compress(data, highCompression: false), data, $"fast {name}");
            AssertDecodes(Compress(data, highCompression: true), data, $"HC {name}");
        }
    }

    [TestMethod]
    public void TheSameInputAlwaysGivesTheSameBlock()
    {
        // The packed executable must be byte-identical for identical inputs. The encoders keep hash
        // tables of positions, not addresses, so neither the buffer's address or alignment nor the
        // thread nor earlier calls may change a byte; this compresses each input from a fresh copy at
        // an odd offset, and on other threads, and compares with the first block.
        var inputs = SyntheticInputs().Where(input => input.Data.Length > 60_000).Concat(RealFiles()).ToList();
        foreach (bool highCompression in new[] { false, true })
        {
            var first = inputs.Select(input => Compress(input.Data, highCompression)).ToList();
            for (int i = 0; i < inputs.Count; i++)
            {
                var (name, data) = inputs[i];
                byte[] shifted = new byte[data.Length + 3];
                data.CopyTo(shifted, 3);
                var output = new byte[Lz4Codec.MaxCompressedLength(data.Length) + 5];
                int length = highCompression
                    ? Lz4Codec.CompressHighCompression(shifted.AsSpan(3), output.AsSpan(5))
                    : Lz4Codec.Compress(shifted.AsSpan(3), output.AsSpan(5));
                Assert.IsTrue(output.AsSpan(5, length).SequenceEqual(first[i]), $"{(highCompression ? "HC" : "fast")} {name}: a different block from a different buffer");
            }
            var parallel = new byte[inputs.Count][];
            Parallel.For(0, inputs.Count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i => parallel[i] = Compress(inputs[i].Data, highCompression));
            for (int i = 0; i < inputs.Count; i++)
                CollectionAssert.AreEqual(first[i], parallel[i], $"{(highCompression ? "HC" : "fast")} {inputs[i].Name}: a different block on another thread");
        }
    }

    [TestMethod]
    public void ShortInputsAreStoredAsLiterals()
    {
        // Below 13 bytes no match is allowed: token, then the bytes (and an empty input is one 0 token).
        foreach (bool highCompression in new[] { false, true })
        {
            CollectionAssert.AreEqual(new byte[] { 0 }, Compress([], highCompression));
            CollectionAssert.AreEqual(new byte[] { 0x10, 7 }, Compress([7], highCompression));
            CollectionAssert.AreEqual(new byte[] { 0xC0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, Compress(new byte[12], highCompression));
        }
    }

    [TestMethod]
    public void OutputMustHoldTheWorstCase()
    {
        byte[] data = new byte[100];
        Assert.ThrowsExactly<ArgumentException>(() => Lz4Codec.Compress(data, new byte[Lz4Codec.MaxCompressedLength(100) - 1]));
        Assert.ThrowsExactly<ArgumentException>(() => Lz4Codec.CompressHighCompression(data, new byte[10]));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Lz4Codec.MaxCompressedLength(-1));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Lz4Codec.MaxCompressedLength(Lz4Codec.MaxInputLength + 1));
        Assert.AreEqual(16, Lz4Codec.MaxCompressedLength(0));
        Assert.AreEqual(1_000_000 + 3921 + 16, Lz4Codec.MaxCompressedLength(1_000_000));
    }

    // ---- against liblz4 and the C decoder ----

    // One process per block and direction, so the tiny inputs are sampled at the rule boundaries.
    private static IEnumerable<(string Name, byte[] Data)> CrossCheckInputs() =>
        SyntheticInputs().Where(input => input.Data.Length is 0 or 1 or 5 or 11 or 12 or 13 or 14 or 17 or 20 or 40 or > 4000)
            .Concat(RealFiles());

    [TestMethod]
    public void Liblz4AndTheCDecoderDecodeOurBlocks()
    {
        int checkedBlocks = 0;
        foreach (var (name, data) in CrossCheckInputs())
        {
            foreach (bool highCompression in new[] { false, true })
            {
                byte[] block = Compress(data, highCompression);
                string size = data.Length.ToString();
                string because = $"{(highCompression ? "HC" : "fast")} {name}";
                CollectionAssert.AreEqual(data, ToolOutput(block, "ref-decompress", size), $"liblz4 on {because}");
                CollectionAssert.AreEqual(data, ToolOutput(block, "decompress", size), $"lz4_decode on {because}");
                checkedBlocks++;
            }
        }
        Assert.IsGreaterThan(50, checkedBlocks);
    }

    [TestMethod]
    public void TheCSharpAndCDecodersDecodeLiblz4Blocks()
    {
        foreach (var (name, data) in CrossCheckInputs())
        {
            foreach (string[] compress in new[] { new[] { "compress" }, new[] { "compress-hc" }, new[] { "compress-hc", "12" } })
            {
                if (compress.Length == 2 && data.Length > 4 << 20)
                    continue; // level 12's optimal parser is slow; smaller inputs cover it
                byte[] block = ToolOutput(data, compress);
                string because = $"liblz4 {string.Join(' ', compress)} {name}";
                AssertDecodes(block, data, because);
                CollectionAssert.AreEqual(data, ToolOutput(block, "decompress", data.Length.ToString()), $"lz4_decode on {because}");
            }
        }
    }

    [TestMethod]
    public void BothLevelsCompressAsWellAsLiblz4()
    {
        // K4os ports LZ4_compress_default and LZ4_compress_HC, so it usually writes the very same bytes
        // (logged); only the sizes are asserted, since liblz4 may change its heuristics between versions.
        foreach (var (name, data) in RealFiles())
        {
            foreach (bool highCompression in new[] { false, true })
            {
                byte[] ours = Compress(data, highCompression);
                byte[] reference = ToolOutput(data, highCompression ? "compress-hc" : "compress");
                string level = highCompression ? "level 9" : "fast";
                testContext.WriteLine($"{name}: {level} {ours.Length} bytes, liblz4 {reference.Length}{(ours.AsSpan().SequenceEqual(reference) ? " (identical bytes)" : "")}");
                Assert.IsLessThanOrEqualTo(reference.Length * 1.02, (double)ours.Length, $"{level} {name}");
            }
        }
    }

    // ---- malformed blocks ----

    // A valid block: literals "abcd", then a match of 8 from offset 4, then the last literals "efghi".
    // Decodes to "abcdabcdabcdefghi" (17 bytes); its match starts 13 bytes and ends 5 bytes before the end.
    private static readonly byte[] Valid = [0x44, .."abcd"u8, 4, 0, 0x50, .."efghi"u8];
    private static readonly byte[] ValidDecoded = "abcdabcdabcdefghi"u8.ToArray();

    // Lets the table below use collection expressions with spreads inside object[] rows.
    private static byte[] B(ReadOnlySpan<byte> bytes) => bytes.ToArray();

    private static byte[] WithValidOffset(byte low, byte high) => [0x44, .."abcd"u8, low, high, 0x50, .."efghi"u8];

    // The last column: what liblz4's LZ4_decompress_safe, and so K4os, does with the block. The two it
    // accepts break format rules without reaching outside the output: the last token's match length
    // is ignored, and offset 0 copies from the bytes being written, so what it decodes to depends on the
    // decoder's copy loop and on what the output held before (liblz4 and K4os differ). Only the host's
    // decoder is that strict; either kind of damage, like a flipped literal, is what the entries'
    // SHA-256 digests find (oxidize-inspect --verify).
    public static IEnumerable<object[]> MalformedBlocks() =>
    [
        ["empty block", Array.Empty<byte>(), 0, Liblz4.Refuses],
        ["empty block, room for output", Array.Empty<byte>(), 10, Liblz4.Refuses],
        ["truncated literals", B([0x50, .."abc"u8]), 5, Liblz4.Refuses],
        ["truncated offset", B([0x44, .."abcd"u8, 4]), 17, Liblz4.Refuses],
        ["block ends after a match", B([0x44, .."abcd"u8, 4, 0]), 12, Liblz4.Refuses],
        ["trailing byte after the last literals", B([.. Valid, 0x00]), 17, Liblz4.Refuses],
        ["offset 0", WithValidOffset(0, 0), 17, Liblz4.DecodesToUndefinedBytes],
        ["offset beyond the output start", WithValidOffset(5, 0), 17, Liblz4.Refuses],
        ["offset 65535 on a short output", WithValidOffset(0xFF, 0xFF), 17, Liblz4.Refuses],
        ["match overruns the output", Valid, 10, Liblz4.Refuses],
        ["literals overrun the output", Valid, 3, Liblz4.Refuses],
        ["last literals overrun the output", Valid, 16, Liblz4.Refuses],
        ["literal length extension truncated", B([0xF0, 0xFF, 0xFF]), 1000, Liblz4.Refuses],
        ["literal length extension past the input", B([0xF0, 0x05, .."0123456789"u8]), 1000, Liblz4.Refuses],
        ["literal length extension past the output", B([0xF0, 0xFF, 0xFF, 0xFF, 0xFF, 0x00]), 100, Liblz4.Refuses],
        ["match length extension truncated", B([0x4F, .."abcd"u8, 4, 0, 0xFF]), 1000, Liblz4.Refuses],
        ["match length extension past the output", B([0x4F, .."abcd"u8, 4, 0, 0xFF, 0xFF, 0x00, 0x50, .."efghi"u8]), 500, Liblz4.Refuses],
        ["last literals shorter than 5", B([0x44, .."abcd"u8, 4, 0, 0x40, .."efgh"u8]), 16, Liblz4.Refuses],
        ["last match starts less than 12 before the end", B([0x40, .."abcd"u8, 4, 0, 0x50, .."efghi"u8]), 13, Liblz4.Refuses],
        ["last token has a match length", B([0x44, .."abcd"u8, 4, 0, 0x51, .."efghi"u8]), 17, Liblz4.Decodes],
    ];

    public enum Liblz4 { Refuses, Decodes, DecodesToUndefinedBytes }

    public static string MalformedName(MethodInfo method, object[] data) => $"{method.Name}({data[0]})";

    [TestMethod]
    public void TheValidTemplateDecodes()
    {
        AssertDecodes(Valid, ValidDecoded, "template");
        CollectionAssert.AreEqual(ValidDecoded, ToolOutput(Valid, "decompress", "17"));
        CollectionAssert.AreEqual(ValidDecoded, ToolOutput(Valid, "ref-decompress", "17"));
    }

    [TestMethod]
    [DynamicData(nameof(MalformedBlocks), DynamicDataDisplayName = nameof(MalformedName))]
    public void CSharpDecoderRefusesWhatLiblz4Refuses(string name, byte[] block, int outputSize, Liblz4 liblz4)
    {
        var reference = RunTool(block, "ref-decompress", outputSize.ToString());
        Assert.AreEqual(liblz4 == Liblz4.Refuses ? 1 : 0, reference.ExitCode, $"{name}: liblz4 {reference.Stderr}");
        if (liblz4 == Liblz4.Refuses)
        {
            var error = Assert.ThrowsExactly<InvalidDataException>(() => Lz4Codec.Decompress(block, new byte[outputSize]), name);
            StringAssert.StartsWith(error.Message, "Malformed LZ4 block: ", name);
            return;
        }
        var output = new byte[outputSize];
        Assert.AreEqual(outputSize, Lz4Codec.Decompress(block, output), name);
        if (liblz4 == Liblz4.Decodes)
            CollectionAssert.AreEqual(reference.Stdout, output, $"{name}: K4os decodes it, so it must decode it as liblz4 does");
    }

    [TestMethod]
    [DynamicData(nameof(MalformedBlocks), DynamicDataDisplayName = nameof(MalformedName))]
    public void CDecoderRefusesMalformedBlocks(string name, byte[] block, int outputSize, Liblz4 liblz4) => AssertToolRefuses(block, outputSize, name);

    [TestMethod]
    public void EveryTruncationIsRefusedOrDecodesShort()
    {
        // A cut that happens to fall after a sequence's literals can be a valid shorter block, so the
        // caller must compare the decoded length with the stored size; what matters is that no cut
        // decodes to the full data or fails any other way than InvalidDataException.
        byte[] data = Text(new Random(5), 20_000);
        foreach (bool highCompression in new[] { false, true })
        {
            byte[] block = Compress(data, highCompression);
            var output = new byte[data.Length];
            for (int cut = 0; cut < block.Length; cut++)
            {
                try
                {
                    Assert.IsLessThan(data.Length, Lz4Codec.Decompress(block.AsSpan(0, cut), output), $"cut at {cut}");
                }
                catch (InvalidDataException)
                {
                }
            }
            foreach (int cut in new[] { 0, 1, 2, block.Length / 3, block.Length / 2, block.Length - 6, block.Length - 2, block.Length - 1 })
                AssertToolRefuses(block[..cut], data.Length, $"{(highCompression ? "HC" : "fast")} block cut at {cut}");
        }
    }

    [TestMethod]
    public void CorruptedBlocksFailCleanlyAndTheDecodersAgreeWithLiblz4()
    {
        var random = new Random(77);
        byte[] data = [.. File.ReadAllBytes(Path.Combine(RuntimeDirectory, "System.Runtime.dll"))];
        byte[] block = Compress(data, highCompression: true);
        var output = new byte[data.Length];
        int refused = 0, checkedWithLiblz4 = 0;
        for (int trial = 0; trial < 3000; trial++)
        {
            byte[] damaged = [.. block];
            for (int flips = random.Next(1, 4); flips > 0; flips--)
                damaged[random.Next(damaged.Length)] ^= (byte)random.Next(1, 256);
            int? decoded;
            try
            {
                decoded = Lz4Codec.Decompress(damaged, output);
            }
            catch (InvalidDataException)
            {
                decoded = null;
                refused++;
            }
            // Every 30th case also goes through liblz4 and the C decoder. K4os ports liblz4's decoder, so
            // the C# verdict is liblz4's. The C decoder may refuse more (it also enforces the format's
            // rules), but whatever it decodes is a well-formed block, which all three decode alike; the
            // bytes of a block only liblz4 and K4os accept may differ (offset 0, see MalformedBlocks).
            if (trial % 30 == 0)
            {
                var reference = RunTool(damaged, "ref-decompress", data.Length.ToString());
                var host = RunTool(damaged, "decompress", data.Length.ToString());
                bool csharpAccepts = decoded == data.Length;
                Assert.AreEqual(csharpAccepts ? 0 : 1, reference.ExitCode, $"trial {trial}: C# {(decoded is null ? "refused" : $"decoded {decoded} bytes")}; liblz4 {reference.Stderr}");
                Assert.IsTrue(host.ExitCode == 1 || (host.ExitCode == 0 && csharpAccepts), $"trial {trial}: the C decoder exits {host.ExitCode} ({host.Stderr}), liblz4 {reference.ExitCode}");
                if (host.ExitCode == 0)
                {
                    CollectionAssert.AreEqual(reference.Stdout, host.Stdout, $"trial {trial}: the C decoder and liblz4 decode differently");
                    CollectionAssert.AreEqual(reference.Stdout, output, $"trial {trial}: C# and liblz4 decode differently");
                }
                checkedWithLiblz4++;
            }
        }
        Assert.AreEqual(100, checkedWithLiblz4);
        Assert.IsGreaterThan(100, refused, "damage should mostly be detected");
    }

    // ---- ratio and speed on the largest assembly of the runtime ----

    [TestMethod]
    public void CoreLibRatiosAreCloseToLz4Cli()
    {
        byte[] data = File.ReadAllBytes(CoreLib);
        var output = new byte[Lz4Codec.MaxCompressedLength(data.Length)];

        double fastSeconds = BestOf(3, () => Lz4Codec.Compress(data, output), out int fast);
        double hcSeconds = BestOf(1, () => Lz4Codec.CompressHighCompression(data, output), out int hc);
        byte[] hcBlock = output[..hc];
        var decoded = new byte[data.Length];
        double decodeSeconds = BestOf(5, () => Lz4Codec.Decompress(hcBlock, decoded), out _);

        int cliFast = CliCompressedSize(CoreLib, "-1");
        int cliHc = CliCompressedSize(CoreLib, "-9");
        int blockFast = ToolOutput(data, "compress").Length;
        int blockHc = ToolOutput(data, "compress-hc").Length;

        double megabytes = data.Length / 1e6;
        testContext.WriteLine($"System.Private.CoreLib.dll: {data.Length} bytes");
        testContext.WriteLine($"  K4os fast: {fast} ({100.0 * fast / data.Length:F2}%), {megabytes / fastSeconds:F0} MB/s; liblz4 default block {blockFast}; lz4 -1 frame {cliFast}");
        testContext.WriteLine($"  K4os HC:   {hc} ({100.0 * hc / data.Length:F2}%), {megabytes / hcSeconds:F0} MB/s; liblz4 level 9 block {blockHc}; lz4 -9 frame {cliHc}");
        testContext.WriteLine($"  K4os decode of the HC block: {megabytes / decodeSeconds:F0} MB/s");
        testContext.WriteLine("  C decode of the HC block (best of 1 s each):");
        testContext.WriteLine(Encoding.UTF8.GetString(ToolOutput(hcBlock, "bench", data.Length.ToString())));

        Assert.IsLessThan(fast, hc, "HC must beat fast on an assembly");
        Assert.IsLessThanOrEqualTo(cliHc * 1.10, (double)hc, "HC within 10% of lz4 -9");
        Assert.IsLessThanOrEqualTo(cliFast * 1.10, (double)fast, "fast within 10% of lz4 -1");
    }

    [TestMethod]
    public void HighCompressionIsNeverLargerOnCompressibleData()
    {
        foreach (var (name, data) in SyntheticInputs().Where(input => !input.Name.StartsWith("random", StringComparison.Ordinal)).Concat(RealFiles()))
        {
            int fast = Compress(data, highCompression: false).Length;
            int hc = Compress(data, highCompression: true).Length;
            Assert.IsLessThanOrEqualTo(fast, hc, $"{name}: HC {hc} bytes, fast {fast}");
        }
    }

    private static double BestOf(int rounds, Func<int> action, out int result)
    {
        result = action(); // warm-up, and the JIT's first tier
        double best = double.MaxValue;
        for (int i = 0; i < rounds; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            result = action();
            best = Math.Min(best, stopwatch.Elapsed.TotalSeconds);
        }
        return best;
    }

    private static int CliCompressedSize(string file, string level)
    {
        var start = new ProcessStartInfo("lz4") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { level, "-c", file })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var counter = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(counter);
        process.WaitForExit();
        Assert.AreEqual(0, process.ExitCode, process.StandardError.ReadToEnd());
        return (int)counter.Length;
    }
}

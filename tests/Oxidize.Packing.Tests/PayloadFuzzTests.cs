using Oxidize.Tests.Shared;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;

namespace Oxidize.Packing.Tests;

/// <summary>
/// The libFuzzer harness for the host's payload reader (src/Oxidize.Host/fuzz/fuzz_payload.c): its seed
/// corpus is what the C# writer writes today, and a bounded run (eng/fuzz-payload.sh) finds nothing.
/// Longer runs: eng/fuzz-payload.sh SECONDS.
/// </summary>
[TestClass]
public sealed class PayloadFuzzTests
{
    /// <summary>Seconds of fuzzing in the test suite; the committed corpus runs first, whatever this is.</summary>
    private const int BoundedSeconds = 30;

    private static string CorpusFolder => Path.Combine(RepoPaths.Root, "src", "Oxidize.Host", "fuzz", "corpus", "payload");

    /// <summary>
    /// Seed name → file image. "compact" seeds put the payload at offset 0 (a multiple of 4096, so valid)
    /// without a host in front, which keeps them small and every byte of them worth mutating.
    /// </summary>
    private static IReadOnlyDictionary<string, byte[]> Seeds()
    {
        byte[] Text(string text) => Encoding.UTF8.GetBytes(text);
        var everything = new PayloadManifest
        {
            RuntimeVersion = "10.0.12",
            RuntimeIdentifier = "linux-x64",
            EntryAssemblyName = "App.dll",
            DiagnosticsEnabled = true,
            StartupHooksEnabled = true,
            PackedFilesReadOnly = true,
            Properties =
            [
                new("System.GC.Server", "false"),
                new("System.Globalization.Invariant", "true"),
                new("Microsoft.Extensions.DependencyInjection.VerifyOpenGenericServiceTrimmability", "true"),
                new("empty", ""),
            ],
            Resources =
            [
                new PackedResource("App.dll", ResourceKind.ManagedAssembly, Text("MZ app")),
                new PackedResource("fr/App.resources.dll", ResourceKind.ManagedAssembly, Text("MZ satellite")),
                new PackedResource("libcoreclr.so", ResourceKind.NativeLibrary, [0x7F, (byte)'E', (byte)'L', (byte)'F', 1]),
                new PackedResource("libdep.so", ResourceKind.NativeLibrary, [0x7F, (byte)'E', (byte)'L', (byte)'F', 2]),
                new PackedResource("libuser.so", ResourceKind.NativeLibrary, [0x7F, (byte)'E', (byte)'L', (byte)'F', 3], ["libdep.so", "libcoreclr.so"]),
                new PackedResource("runtimes/linux-x64/native/libe_sqlite3.so", ResourceKind.NativeLibrary, [0x7F, (byte)'E', (byte)'L', (byte)'F', 4], ["libdep.so"]),
                new PackedResource("App.runtimeconfig.json", ResourceKind.Content, Text("{}")),
                new PackedResource("wwwroot/css/site.css", ResourceKind.Content, Text("p{}")),
                new PackedResource("wwwroot/index.html", ResourceKind.Content, Text("<p>hé</p>")),
                new PackedResource("empty.txt", ResourceKind.Content, []),
            ],
        };
        var minimal = new PayloadManifest
        {
            RuntimeVersion = "10.0.0",
            RuntimeIdentifier = "linux-x64",
            EntryAssemblyName = "a.dll",
            Resources = [new PackedResource("a.dll", ResourceKind.ManagedAssembly, Text("MZ"))],
        };
        // Repetitive enough for LZ4 to save more than 10%, so these entries are written as LZ4 blocks (codec 1).
        byte[] Repetitive(string text) => Text(string.Concat(Enumerable.Repeat(text, 12)));
        var compressed = new PayloadManifest
        {
            RuntimeVersion = "10.0.12",
            RuntimeIdentifier = "linux-x64",
            EntryAssemblyName = "App.dll",
            Compression = Compression.Lz4,
            Properties = [new("System.GC.Server", "false")],
            Resources =
            [
                new PackedResource("App.dll", ResourceKind.ManagedAssembly, Repetitive("MZ entry assembly, stored ")),
                new PackedResource("Plugin.dll", ResourceKind.ManagedAssembly, Repetitive("MZ compressed assembly ")),
                new PackedResource("System.Private.CoreLib.dll", ResourceKind.ManagedAssembly, Repetitive("MZ always stored ")),
                new PackedResource("libcoreclr.so", ResourceKind.NativeLibrary, [0x7F, (byte)'E', (byte)'L', (byte)'F', .. Repetitive("native ")]),
                new PackedResource("data/small.txt", ResourceKind.Content, Text("too small to compress")),
                new PackedResource("wwwroot/site.css", ResourceKind.Content, Repetitive("p { margin: 0 } ")),
            ],
        };
        var windows = new PayloadManifest
        {
            RuntimeVersion = "10.0.12",
            RuntimeIdentifier = "win-x64",
            EntryAssemblyName = "a.dll",
            Resources = [new PackedResource("a.dll", ResourceKind.ManagedAssembly, Text("MZ"))],
        };
        return new SortedDictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["seed-lz4-compact"] = Compact(SampleManifests.Executable(compressed)),
            ["seed-small-with-host"] = SampleManifests.Executable(SampleManifests.Small()),
            ["seed-small-compact"] = Compact(SampleManifests.Executable(SampleManifests.Small())),
            ["seed-everything-compact"] = Compact(SampleManifests.Executable(everything)),
            ["seed-minimal-compact"] = Compact(SampleManifests.Executable(minimal)),
            // A win-x64 .exe after Authenticode signing: the trailer sits before the certificate table (payload.c's trailer_end).
            ["seed-win-signed"] = AuthenticodeTable.Appended(SampleManifests.Executable(windows, HandMadePe.Build(["kernel32.dll"]).Bytes)),
        };
    }

    /// <summary>The same executable without the host and its padding: payload at offset 0, then the trailer.</summary>
    private static byte[] Compact(byte[] executable)
    {
        int trailerOffsetField = executable.Length - FormatConstants.TrailerSize + FormatConstants.TrailerOffsetPayloadOffset;
        int payloadOffset = (int)BinaryPrimitives.ReadUInt64LittleEndian(executable.AsSpan(trailerOffsetField));
        byte[] compact = executable[payloadOffset..];
        BinaryPrimitives.WriteUInt64LittleEndian(compact.AsSpan(compact.Length - FormatConstants.TrailerSize + FormatConstants.TrailerOffsetPayloadOffset), 0);
        return compact;
    }

    [TestMethod]
    public void SeedCorpusIsWhatTheWriterWritesToday()
    {
        bool update = Environment.GetEnvironmentVariable("OXIDIZE_UPDATE_FUZZ_SEEDS") == "1";
        foreach ((string name, byte[] bytes) in Seeds())
        {
            string path = Path.Combine(CorpusFolder, name);
            if (update)
            {
                Directory.CreateDirectory(CorpusFolder);
                File.WriteAllBytes(path, bytes);
            }
            Assert.IsTrue(File.Exists(path), $"{path} is missing: regenerate the seeds with OXIDIZE_UPDATE_FUZZ_SEEDS=1");
            CollectionAssert.AreEqual(bytes, File.ReadAllBytes(path),
                $"{name} is not what the writer writes today: if the format changed on purpose, regenerate the seeds with OXIDIZE_UPDATE_FUZZ_SEEDS=1");

            // The C reader accepts every seed (so the fuzzer starts from inputs that reach the deepest checks).
            var inspect = NativeTool.Run(RepoPaths.Inspect, "--verify", path);
            Assert.AreEqual(0, inspect.ExitCode, $"oxidize-inspect rejects seed {name}:\n{inspect.Stderr}");
            if (name.Contains("lz4", StringComparison.Ordinal))
            {
                // entry <name> <kind> <codec> ...: the seed must really hold LZ4 blocks.
                Assert.IsTrue(inspect.Stdout.Split('\n').Any(line => line.Split('\t') is ["entry", _, _, "1", ..]),
                    $"seed {name} has no LZ4 entry:\n{inspect.Stdout}");
            }
        }
        long total = Directory.EnumerateFiles(CorpusFolder).Sum(file => new FileInfo(file).Length);
        Assert.IsLessThan(1024 * 1024, total, "keep the committed corpus under 1 MB: minimise it with -merge=1");
    }

    [TestMethod]
    public void BoundedFuzzRunOfThePayloadReaderFindsNothing()
    {
        if (!LibFuzzerAvailable(out string why))
        {
            Prerequisite.Missing($"libFuzzer ({why}); the Debian packages clang and libclang-rt-14-dev");
        }
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add(Path.Combine(RepoPaths.Root, "eng", "fuzz-payload.sh"));
        start.ArgumentList.Add(BoundedSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(BoundedSeconds + 180)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"eng/fuzz-payload.sh {BoundedSeconds} did not finish:\n{stderr.Result}");
        }
        string log = stdout.Result + stderr.Result;
        Assert.AreEqual(0, process.ExitCode, $"the fuzzer found a failing input (saved as artifacts/fuzz/payload-*):\n{Tail(log)}");
        StringAssert.Contains(log, "stat::number_of_executed_units", $"the fuzzer did not run:\n{Tail(log)}");
        Console.WriteLine(Tail(log));
    }

    private static string Tail(string log) => string.Join('\n', log.Split('\n').TakeLast(40));

    /// <summary>clang on PATH, and its libFuzzer runtime installed (Debian: libclang-rt-N-dev).</summary>
    private static bool LibFuzzerAvailable(out string why)
    {
        try
        {
            var result = NativeTool.Run("clang", "-print-file-name=libclang_rt.fuzzer-x86_64.a");
            string path = result.Stdout.Trim();
            why = $"clang -print-file-name gives '{path}'";
            if (result.ExitCode == 0 && Path.IsPathRooted(path) && File.Exists(path))
                return true;
            // Some clang builds name it without the architecture, under a per-target folder.
            result = NativeTool.Run("clang", "-print-file-name=libclang_rt.fuzzer.a");
            path = result.Stdout.Trim();
            return result.ExitCode == 0 && Path.IsPathRooted(path) && File.Exists(path);
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            why = $"clang: {exception.Message}";
            return false;
        }
    }
}

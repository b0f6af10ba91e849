using System.Diagnostics;
using System.Net;
using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// linux-arm64, cross-published on this x86-64 machine and run under qemu-aarch64 (Arm64Emulator). Kept few: every
/// run is an emulated runtime start (about 2 s for Hello, against 0.1 s natively).
/// </summary>
[TestClass]
public sealed class LinuxArm64Tests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    private static readonly Lazy<(SampleProject Sample, ProcessResult Publish)> PublishedHelloArm64 = new(() =>
    {
        SampleProject sample = SampleProject.Create("Hello", nameof(LinuxArm64Tests) + "Hello");
        return (sample, sample.PublishForRuntime("linux-arm64"));
    });

    private static string HelloArm64
    {
        get
        {
            (SampleProject sample, ProcessResult publish) = PublishedHelloArm64.Value;
            Assert.AreEqual(0, publish.ExitCode, $"Publishing Hello for linux-arm64 failed:{publish}");
            return sample.ExecutablePath;
        }
    }

    /// <summary>ReadyToRun is on by default for linux-arm64 too: crossgen2 (the x64 compiler pack) compiled Hello.dll for
    /// AArch64 Linux (crossgen2 marks the PE machine with the Linux OS mask 0x7B79), which the tests above run.</summary>
    [TestMethod]
    public void HelloForArm64IsPackedReadyToRunForArm64()
    {
        byte[] assembly = ReadyToRunPublishTests.PackedAssembly(HelloArm64, "Hello.dll");

        Assert.IsTrue(ReadyToRunPublishTests.HasReadyToRunCode(assembly), "The linux-arm64 publish packed an IL-only Hello.dll.");
        using var pe = new System.Reflection.PortableExecutable.PEReader(new MemoryStream(assembly));
        Assert.AreEqual(0xAA64, (ushort)pe.PEHeaders.CoffHeader.Machine ^ 0x7B79, "Hello.dll was not compiled for AArch64 Linux.");
    }

    /// <summary>The same sample published for both RIDs from one machine prints the same (the RID and folder aside), passes
    /// arguments, stdin and its exit code through, and writes nothing beside the executable or in $HOME.</summary>
    [TestMethod]
    public void HelloPublishedForX64AndArm64PrintsTheSameAndWritesNothing()
    {
        string arm64 = HelloArm64;
        string x64 = PublishedHello.ExecutablePath;
        Assert.AreEqual(183, Arm64Emulator.ElfMachine(arm64), "the linux-arm64 executable is not an AArch64 ELF file");
        Assert.AreEqual(62, Arm64Emulator.ElfMachine(x64));
        string home = Path.Combine(RepoPaths.EndToEndFolder, nameof(LinuxArm64Tests) + "Home");
        if (Directory.Exists(home))
            Directory.Delete(home, recursive: true);
        Directory.CreateDirectory(home);
        var environment = new Dictionary<string, string> { ["PATH"] = ReadOnlyDirectory.MinimalPath, ["HOME"] = home };
        string[] arguments = ["one", "two words", "--exit-code", "7"];

        ProcessResult native = ProcessRunner.Run(x64, arguments, "/", "hello stdin\n", environment, RunTimeout);
        ProcessResult emulated = Arm64Emulator.Run(arm64, arguments, "/", "hello stdin\n", environment, RunTimeout);

        Assert.AreEqual(7, native.ExitCode, native.ToString());
        Assert.AreEqual(7, emulated.ExitCode, $"The arm64 app's exit code did not pass through:{emulated}");
        Assert.Contains("args: [one|two words|--exit-code|7]", emulated.StandardOutput, emulated.ToString());
        Assert.Contains("stdin: hello stdin", emulated.StandardOutput, emulated.ToString());
        Assert.Contains("linux-arm64", emulated.StandardOutput, emulated.ToString());
        Assert.AreEqual(
            Normalized(native.StandardOutput, x64, "linux-x64"),
            Normalized(emulated.StandardOutput, arm64, "linux-arm64"),
            $"The two architectures print differently:{native}{emulated}");
        Assert.AreEqual("", emulated.StandardError, emulated.ToString());
        CollectionAssert.AreEqual(new[] { arm64 }, Directory.GetFileSystemEntries(Path.GetDirectoryName(arm64)!),
            "the arm64 run left files beside the executable");
        Assert.IsEmpty(Directory.GetFileSystemEntries(home), "the arm64 run wrote into $HOME");
    }

    /// <summary>LZ4 entries are decoded by the arm64 host's C decoder.</summary>
    [TestMethod]
    public void Lz4PublishRunsOnArm64()
    {
        SampleProject sample = SampleProject.Create("Hello", nameof(Lz4PublishRunsOnArm64));
        ProcessResult publish = sample.PublishForRuntime("linux-arm64", "-p:OxidizeCompression=lz4", "-p:OxidizeCompressReferencedAssemblies=true");
        Assert.AreEqual(0, publish.ExitCode, publish.ToString());
        var entries = PackedExecutable.Entries(sample.ExecutablePath);
        Assert.AreEqual(1, entries["Hello.dll"].Codec, "the app's assembly should be LZ4-compressed");
        Assert.IsTrue(entries.Values.Any(entry => entry.Kind == 2 && entry.Codec == 1), "no native library is LZ4-compressed");

        ProcessResult run = Arm64Emulator.Run(sample.ExecutablePath, ["lz4"], "/", "compressed\n",
            new Dictionary<string, string> { ["PATH"] = ReadOnlyDirectory.MinimalPath }, RunTimeout);

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        Assert.Contains("args: [lz4]", run.StandardOutput, run.ToString());
        Assert.Contains("stdin: compressed", run.StandardOutput, run.ToString());
        Assert.Contains(".NET 10.0", run.StandardOutput, run.ToString());
    }

    /// <summary>A damaged payload header gives the documented exit code 182 (docs/errors.md), as on x86-64.</summary>
    [TestMethod]
    public void CorruptedArm64ExecutableExitsWith182()
    {
        string corrupted = Path.Combine(RepoPaths.EndToEndFolder, nameof(CorruptedArm64ExecutableExitsWith182), "Hello");
        Directory.CreateDirectory(Path.GetDirectoryName(corrupted)!);
        File.Copy(HelloArm64, corrupted, overwrite: true);
        using (FileStream file = File.Open(corrupted, FileMode.Open, FileAccess.ReadWrite))
        {
            // The trailer (last 32 bytes, docs/format.md) holds the header's offset at byte 8; the header starts with its magic.
            var trailer = new byte[32];
            file.Seek(-32, SeekOrigin.End);
            file.ReadExactly(trailer);
            long header = BitConverter.ToInt64(trailer, 8);
            file.Seek(header, SeekOrigin.Begin);
            int first = file.ReadByte();
            file.Seek(header, SeekOrigin.Begin);
            file.WriteByte((byte)(first ^ 0xFF));
        }

        ProcessResult run = Arm64Emulator.Run(corrupted, [], "/", null,
            new Dictionary<string, string> { ["PATH"] = ReadOnlyDirectory.MinimalPath }, RunTimeout);

        Assert.AreEqual(182, run.ExitCode, run.ToString());
        Assert.Contains("corrupt", run.StandardError, run.ToString());
        Assert.Contains("wrong magic number", run.StandardError, run.ToString());
    }

    /// <summary>A NuGet native library for arm64 (SQLite's libe_sqlite3.so from runtimes/linux-arm64/native) is packed,
    /// audited as AArch64 against the same glibc table, and loaded from memory under emulation.</summary>
    [TestMethod]
    public void SqliteSampleRunsOnArm64()
    {
        SampleProject sample = SampleProject.Create("AuditSqlite", nameof(SqliteSampleRunsOnArm64));
        ProcessResult publish = sample.PublishForRuntime("linux-arm64");
        Assert.AreEqual(0, publish.ExitCode, publish.ToString());
        Assert.Contains("Oxidize audit: the executable needs GLIBC_2.34 (libe_sqlite3.so)", publish.Output, "the arm64 SQLite library's floor");
        Assert.AreEqual(2, PackedExecutable.Entries(sample.ExecutablePath)["libe_sqlite3.so"].Kind, "libe_sqlite3.so is not packed as a native library");

        ProcessResult run = Arm64Emulator.Run(sample.ExecutablePath, ["--query", "select 6 * 7"], "/", null,
            new Dictionary<string, string> { ["PATH"] = ReadOnlyDirectory.MinimalPath }, RunTimeout);

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        Assert.Contains("result: 42", run.StandardOutput, run.ToString());
    }

    /// <summary>The ASP.NET Core minimal API cross-published for arm64 answers HTTP under emulation (configuration from the
    /// packed appsettings.json, a packed wwwroot file) and stops cleanly on SIGTERM, which qemu passes to the app.</summary>
    [TestMethod]
    public void WebApiAnswersHttpOnArm64()
    {
        SampleProject sample = SampleProject.Create("WebApi", nameof(WebApiAnswersHttpOnArm64));
        ProcessResult publish = sample.PublishForRuntime("linux-arm64");
        Assert.AreEqual(0, publish.ExitCode, publish.ToString());
        Arm64Emulator.RequireEmulation();
        string url = $"http://127.0.0.1:{BackgroundProcess.FreeLoopbackPort()}";

        using BackgroundProcess server = BackgroundProcess.Start(Arm64Emulator.Qemu, [sample.ExecutablePath, "--urls", url],
            sample.PublishDirectory, new Dictionary<string, string> { ["PATH"] = ReadOnlyDirectory.MinimalPath });
        using var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        string? hello = null;
        while (hello == null)
        {
            Assert.IsFalse(server.HasExited, $"The arm64 server exited before answering:{server}");
            Assert.IsLessThan(120, clock.Elapsed.TotalSeconds, $"The arm64 server did not answer within 120 s:{server}");
            try
            {
                hello = client.GetStringAsync("/hello").GetAwaiter().GetResult();
            }
            catch (HttpRequestException)
            {
                Thread.Sleep(250);
            }
            catch (TaskCanceledException)
            {
            }
        }

        Assert.AreEqual("Hello from an oxidized web app!", hello);
        Assert.AreEqual("Bonjour from appsettings.json", client.GetStringAsync("/config").GetAwaiter().GetResult(), server.ToString());
        using HttpResponseMessage file = client.GetAsync("/static.txt").GetAwaiter().GetResult();
        Assert.AreEqual(HttpStatusCode.OK, file.StatusCode, server.ToString());
        Assert.AreEqual("A static file served from wwwroot.", file.Content.ReadAsStringAsync().GetAwaiter().GetResult().TrimEnd());
        server.Signal("TERM");
        Assert.IsTrue(server.WaitForExit(TimeSpan.FromSeconds(30)), $"The arm64 server did not stop on SIGTERM:{server}");
        Assert.AreEqual(0, server.ExitCode, $"The arm64 server did not stop cleanly:{server}");
    }

    private static string Normalized(string output, string executable, string runtimeIdentifier) =>
        output.Replace(Path.GetDirectoryName(executable)!, "<folder>", StringComparison.Ordinal)
            .Replace(runtimeIdentifier, "<rid>", StringComparison.Ordinal);
}

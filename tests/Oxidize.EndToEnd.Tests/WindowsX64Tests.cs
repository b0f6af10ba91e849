using System.Diagnostics;
using System.Globalization;
using System.Reflection.PortableExecutable;
using Oxidize.EndToEnd.Tests.Infrastructure;
using Oxidize.Tests.Shared;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// win-x64 (issue 20), published on this Linux machine and run under Wine 8 (WineRunner, prefix by eng/wine.sh). The
/// plain self-contained publishes are the baseline that proves Wine and the samples work here; the oxidized ones
/// check the contract: one Hello.exe (a PE image with the payload appended, runtime identifier win-x64) that passes
/// arguments, stdin and its exit code through and writes nothing beside itself or in the prefix's AppData and Temp.
/// </summary>
[TestClass]
public sealed class WindowsX64Tests
{
    private const string RuntimeIdentifier = "win-x64";

    /// <summary>Spaces, a quote and non-ASCII (all in Windows-1252, the code page the app's stdout is written in).</summary>
    private static readonly string[] Arguments = ["one", "two words", "naïve ünïcödé €uro", "say \"hi\"", "--exit-code", "7"];

    private const string ExpectedArguments = "args: [one|two words|naïve ünïcödé €uro|say \"hi\"|--exit-code|7]";

    private static readonly Lazy<(SampleProject Sample, ProcessResult Publish)> OxidizedHello = new(() =>
    {
        SampleProject sample = SampleProject.Create("Hello", nameof(WindowsX64Tests) + "Hello");
        return (sample, sample.PublishForRuntime(RuntimeIdentifier));
    });

    private static readonly Lazy<(SampleProject Sample, ProcessResult Publish)> OxidizedSqlite = new(() =>
    {
        SampleProject sample = SampleProject.Create("AuditSqlite", nameof(WindowsX64Tests) + "Sqlite");
        return (sample, sample.PublishForRuntime(RuntimeIdentifier));
    });

    private static string OxidizedHelloExecutable => Published(OxidizedHello);

    [TestMethod]
    public void PlainSelfContainedHelloRunsUnderWine()
    {
        SampleProject sample = SampleProject.Create("Hello", nameof(PlainSelfContainedHelloRunsUnderWine));
        ProcessResult publish = sample.PublishSelfContainedWithoutOxidize(RuntimeIdentifier);
        Assert.AreEqual(0, publish.ExitCode, $"The plain win-x64 publish failed:{publish}");
        Assert.IsTrue(File.Exists(Path.Combine(sample.PublishDirectory, "coreclr.dll")), "a plain self-contained publish has the runtime beside the app");

        WineRun run = RunWritingNothing(sample.WindowsExecutablePath, Arguments, "hello stdin\n");

        Assert.AreEqual(7, run.ExitCode, $"The exit code did not pass through:{run}");
        AssertHelloOutput(run, sample.WindowsExecutablePath);
        Assert.Contains("assembly location: 'Z:\\", run.StandardOutput, $"a plain publish loads Hello.dll from its folder:{run}");
    }

    [TestMethod]
    public void PlainSelfContainedSqliteRunsUnderWine()
    {
        SampleProject sample = SampleProject.Create("AuditSqlite", nameof(PlainSelfContainedSqliteRunsUnderWine));
        ProcessResult publish = sample.PublishSelfContainedWithoutOxidize(RuntimeIdentifier);
        Assert.AreEqual(0, publish.ExitCode, $"The plain win-x64 publish failed:{publish}");
        Assert.IsTrue(File.Exists(Path.Combine(sample.PublishDirectory, "e_sqlite3.dll")), $"the win-x64 publish has no e_sqlite3.dll:{publish}");

        WineRun run = WineRunner.Run(sample.WindowsExecutablePath, ["--query", "select 6 * 7"]);

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        Assert.AreEqual("result: 42\n", run.StandardOutput, run.ToString());
    }

    [TestMethod]
    public void OxidizedHelloIsOneWindowsExecutable()
    {
        string executable = OxidizedHelloExecutable;

        CollectionAssert.AreEqual(new[] { executable }, Directory.GetFileSystemEntries(Path.GetDirectoryName(executable)!),
            $"The publish folder holds more than Hello.exe:{OxidizedHello.Value.Publish}");
        using (FileStream file = File.OpenRead(executable))
        using (var pe = new PEReader(file))
        {
            Assert.AreEqual(Machine.Amd64, pe.PEHeaders.CoffHeader.Machine, "Hello.exe is not an x64 PE image");
            Assert.AreEqual(Subsystem.WindowsCui, pe.PEHeaders.PEHeader!.Subsystem, "Hello (OutputType Exe) should be a console program");
        }
        Assert.AreEqual(RuntimeIdentifier, PackedExecutable.RuntimeIdentifier(executable));
        IReadOnlyDictionary<string, PackedEntry> entries = PackedExecutable.Entries(executable);
        Assert.AreEqual(1, entries["Hello.dll"].Kind, "Hello.dll is not packed as an assembly");
        foreach (string library in new[] { "coreclr.dll", "clrjit.dll" })
        {
            Assert.IsTrue(entries.TryGetValue(library, out PackedEntry? entry), $"{library} is not packed");
            Assert.AreEqual(2, entry.Kind, $"{library} is not packed as a native library");
        }
        Assert.IsFalse(entries.Keys.Any(name => name.Contains('\\', StringComparison.Ordinal)), "entry names must use '/'");
    }

    /// <summary>Deterministic output holds for win-x64 too: a second publish from clean gives a byte-identical .exe (the
    /// host's PE image carries no timestamp; DeterministicPublishTests checks linux-x64).</summary>
    [TestMethod]
    public void TwoCleanPublishesGiveIdenticalExecutables()
    {
        SampleProject sample = SampleProject.Create("Hello", nameof(WindowsX64Tests) + nameof(TwoCleanPublishesGiveIdenticalExecutables));
        ProcessResult firstPublish = sample.PublishForRuntime(RuntimeIdentifier);
        Assert.AreEqual(0, firstPublish.ExitCode, $"The first publish failed:{firstPublish}");
        byte[] first = File.ReadAllBytes(sample.WindowsExecutablePath);

        foreach (string output in new[] { "bin", "obj" })
            Directory.Delete(Path.Combine(sample.ProjectDirectory, output), recursive: true);
        Directory.Delete(sample.PublishDirectory, recursive: true);
        ProcessResult secondPublish = sample.PublishForRuntime(RuntimeIdentifier);
        Assert.AreEqual(0, secondPublish.ExitCode, $"The second publish failed:{secondPublish}");
        byte[] second = File.ReadAllBytes(sample.WindowsExecutablePath);

        int firstDifference = Enumerable.Range(0, Math.Min(first.Length, second.Length)).FirstOrDefault(i => first[i] != second[i], -1);
        Assert.IsTrue(first.Length == second.Length && firstDifference < 0,
            $"The two Hello.exe differ: {first.Length} and {second.Length} bytes, first difference at offset {firstDifference}.");
    }

    /// <summary>Arguments (spaces, quotes, non-ASCII), stdin and the exit code pass through, the app sees itself as
    /// win-x64 and packed (no assembly location), and the run leaves nothing beside the executable or in the prefix.</summary>
    [TestMethod]
    public void OxidizedHelloRunsUnderWineAndWritesNothing()
    {
        string executable = OxidizedHelloExecutable;
        WineRun run = RunWritingNothing(executable, Arguments, "hello stdin\n");

        Assert.AreEqual(7, run.ExitCode, $"The exit code did not pass through:{run}");
        AssertHelloOutput(run, executable);
        Assert.Contains("assembly location: ''", run.StandardOutput, $"Hello.dll should be served from the executable, not a file:{run}");
        Assert.AreEqual("", run.StandardError, run.ToString());
    }

    /// <summary>The host finds its own file by its UTF-16 name (GetModuleFileNameW): a folder with spaces and non-ASCII
    /// letters, and a working directory elsewhere, change nothing; the app's folder is where the executable is.</summary>
    [TestMethod]
    public void OxidizedHelloRunsFromAFolderWithSpacesAndNonAsciiLetters()
    {
        string folder = Path.Combine(RepoPaths.EndToEndFolder, nameof(OxidizedHelloRunsFromAFolderWithSpacesAndNonAsciiLetters), "dossier été à Zürich");
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        string copy = Path.Combine(folder, "Hello.exe");
        File.Copy(OxidizedHelloExecutable, copy);

        WineRun run = WineRunner.Run(copy, ["--exit-code", "0"], workingDirectory: "/");

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        Assert.Contains($"process: {WindowsPath(copy)}\n", run.StandardOutput, run.ToString());
        Assert.Contains($"base directory: {WindowsPath(folder)}\\\n", run.StandardOutput, run.ToString());
    }

    /// <summary>Code comes only from the payload: Windows looks for DLLs in the application's folder first, so a planted
    /// coreclr.dll, clrjit.dll, assembly or NuGet DLL beside the executable (here files that are not DLLs at all) would
    /// break the run if anything reached for it on disk.</summary>
    [TestMethod]
    public void FilesPlantedBesideTheExecutableAreNotLoaded()
    {
        string hello = CopyOfOxidizedHello(nameof(FilesPlantedBesideTheExecutableAreNotLoaded) + "Hello");
        Plant(hello, "coreclr.dll", "clrjit.dll", "hostfxr.dll", "hostpolicy.dll", "System.Private.CoreLib.dll", "System.Runtime.dll",
            "System.Console.dll", "Hello.dll", "System.IO.Compression.Native.dll");
        string sqlite = Path.Combine(RepoPaths.EndToEndFolder, nameof(FilesPlantedBesideTheExecutableAreNotLoaded) + "Sqlite", "AuditSqlite.exe");
        Directory.CreateDirectory(Path.GetDirectoryName(sqlite)!);
        File.Copy(Published(OxidizedSqlite), sqlite, overwrite: true);
        Plant(sqlite, "e_sqlite3.dll", "Microsoft.Data.Sqlite.dll", "SQLitePCLRaw.core.dll", "coreclr.dll");

        WineRun helloRun = WineRunner.Run(hello, ["planted"]);
        WineRun sqliteRun = WineRunner.Run(sqlite, ["--query", "select 6 * 7"]);

        Assert.AreEqual(0, helloRun.ExitCode, helloRun.ToString());
        Assert.Contains("args: [planted]", helloRun.StandardOutput, helloRun.ToString());
        Assert.AreEqual(0, sqliteRun.ExitCode, sqliteRun.ToString());
        Assert.AreEqual("result: 42\n", sqliteRun.StandardOutput, sqliteRun.ToString());
    }

    [TestMethod]
    public void OxidizedHelloWithStdinFromDevNullExitsZero()
    {
        WineRun run = WineRunner.Run(OxidizedHelloExecutable, []);

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        Assert.Contains("args: []", run.StandardOutput, run.ToString());
        Assert.Contains("stdin: <end of input>", run.StandardOutput, run.ToString());
    }

    /// <summary>A copy cut short inside the trailer has no Oxidize trailer: 181 PAYLOAD_MISSING (docs/errors.md).</summary>
    [TestMethod]
    public void TruncatedExecutableExitsWith181()
    {
        string copy = CopyOfOxidizedHello(nameof(TruncatedExecutableExitsWith181));
        using (FileStream file = File.Open(copy, FileMode.Open, FileAccess.ReadWrite))
            file.SetLength(file.Length - 16);

        WineRun run = WineRunner.Run(copy, []);

        Assert.AreEqual(181, run.ExitCode, run.ToString());
        Assert.Contains("no Oxidize payload", run.StandardError, run.ToString());
    }

    /// <summary>A GUI-subsystem .exe (OutputType=WinExe) has no console, but a redirected stderr still gets the host's
    /// fatal message (the message box is only for a process with neither), and the exit code is unchanged: 181.</summary>
    [TestMethod]
    public void AGuiSubsystemExecutableWritesItsFatalErrorToARedirectedStderr()
    {
        string copy = CopyOfOxidizedHello(nameof(AGuiSubsystemExecutableWritesItsFatalErrorToARedirectedStderr));
        using (FileStream file = File.Open(copy, FileMode.Open, FileAccess.ReadWrite))
        {
            var header = new byte[4096];
            file.ReadExactly(header);
            // What the publish writes for WinExe: the optional header's Subsystem field (offset 68) from 3 to 2.
            int subsystem = BitConverter.ToInt32(header, 0x3C) + 4 + 20 + 68;
            Assert.AreEqual(3, header[subsystem], "Hello.exe is not a console program");
            file.Seek(subsystem, SeekOrigin.Begin);
            file.WriteByte(2);
            file.SetLength(file.Length - 16);
        }

        WineRun run = WineRunner.Run(copy, []);

        Assert.AreEqual(181, run.ExitCode, run.ToString());
        Assert.Contains("no Oxidize payload (exit code 181)", run.StandardError, run.ToString());
    }

    /// <summary>A flipped byte in the payload header's magic: 182 PAYLOAD_CORRUPT (docs/errors.md), as on Linux.</summary>
    [TestMethod]
    public void CorruptedPayloadHeaderExitsWith182()
    {
        string copy = CopyOfOxidizedHello(nameof(CorruptedPayloadHeaderExitsWith182));
        using (FileStream file = File.Open(copy, FileMode.Open, FileAccess.ReadWrite))
        {
            // The trailer (last 32 bytes, docs/format.md) holds the header's offset at byte 8; the header starts with its magic.
            var trailer = new byte[32];
            file.Seek(-32, SeekOrigin.End);
            file.ReadExactly(trailer);
            Assert.AreEqual("OXSDKEND", System.Text.Encoding.ASCII.GetString(trailer, 0, 8), "Hello.exe does not end with the Oxidize trailer");
            long header = BitConverter.ToInt64(trailer, 8);
            file.Seek(header, SeekOrigin.Begin);
            int first = file.ReadByte();
            file.Seek(header, SeekOrigin.Begin);
            file.WriteByte((byte)(first ^ 0xFF));
        }

        WineRun run = WineRunner.Run(copy, []);

        Assert.AreEqual(182, run.ExitCode, run.ToString());
        Assert.Contains("corrupt", run.StandardError, run.ToString());
        Assert.Contains("wrong magic number", run.StandardError, run.ToString());
    }

    /// <summary>The host's PE loader copies a packed DLL's sections into an image of its own; the bytes it copied them from
    /// must not stay resident afterwards. Read through the host's whole-file view of the .exe, coreclr.dll's 4.5 MB stayed
    /// in the process's resident set for its whole life beside the copy (docs/performance.md, "win-x64 under Wine"); the
    /// loader now borrows them in a view of their own that it unmaps. Under Wine the app is a Linux process: while Hello
    /// waits for its stdin line, /proc/PID/pagemap says which pages of that view are present. CoreLib, which the runtime
    /// copies out of the same view and keeps referencing, shows the reading works.</summary>
    [TestMethod]
    public void PackedDllBytesDoNotStayResidentAfterTheLoaderCopiedThem()
    {
        string copy = CopyOfOxidizedHello(nameof(PackedDllBytesDoNotStayResidentAfterTheLoaderCopiedThem));
        IReadOnlyDictionary<string, PackedEntry> entries = PackedExecutable.Entries(copy);
        PackedEntry coreclr = entries["coreclr.dll"];
        PackedEntry coreLib = entries["System.Private.CoreLib.dll"];
        Assert.AreEqual(0, coreclr.Codec, "coreclr.dll is expected stored (EntryCompressor.AlwaysStored)");
        Assert.AreEqual(0, coreLib.Codec, "System.Private.CoreLib.dll is expected stored");

        string folder = Path.GetDirectoryName(copy)!;
        string stdin = Path.Combine(folder, "stdin");
        string stdout = Path.Combine(folder, "stdout");
        ProcessResult mkfifo = ProcessRunner.Run("mkfifo", [stdin], timeout: TimeSpan.FromSeconds(30));
        Assert.AreEqual(0, mkfifo.ExitCode, mkfifo.ToString());
        string stderr = Path.Combine(folder, "stderr");
        using Process shell = WineRunner.Start(copy, ["resident"], stdin, stdout, stderr, TimeSpan.FromSeconds(120));
        long coreclrResident, coreLibResident;
        // Opening the FIFO for writing waits for the shell to open it for reading; the app then blocks in ReadLine
        // until the line below is written, after the runtime and CoreLib are loaded.
        using (var writer = new StreamWriter(new FileStream(stdin, FileMode.Open, FileAccess.Write)))
        {
            var clock = Stopwatch.StartNew();
            while (!(File.Exists(stdout) && File.ReadAllText(stdout).Contains("args: [resident]", StringComparison.Ordinal)))
            {
                if (shell.HasExited || clock.Elapsed > TimeSpan.FromMinutes(2))
                    Assert.Fail($"Hello did not reach its stdin read (a Wine failure, not a pass):{Environment.NewLine}{Printed(stdout)}{Printed(stderr)}");
                Thread.Sleep(100);
            }
            int pid = WineProcessOf(copy);
            coreclrResident = ResidentBytesOfViewOver(pid, copy, coreclr.FileOffset, coreclr.StoredSize);
            coreLibResident = ResidentBytesOfViewOver(pid, copy, coreLib.FileOffset, coreLib.StoredSize);
            writer.WriteLine("done");
        }
        Assert.IsTrue(shell.WaitForExit(TimeSpan.FromMinutes(2)), "Hello did not exit after its stdin line");
        Assert.AreEqual(0, shell.ExitCode, Printed(stdout) + Printed(stderr));

        Assert.IsGreaterThan(coreLib.StoredSize / 2, coreLibResident,
            $"only {coreLibResident} of CoreLib's {coreLib.StoredSize} bytes are resident in the whole-file view: the pagemap reading does not work");
        // Fault-around may map a few pages beside an entry the runtime reads (64 KB each side at most).
        Assert.IsLessThan(256 * 1024, coreclrResident,
            $"{coreclrResident} of coreclr.dll's {coreclr.StoredSize} bytes stayed resident in the host's view of the .exe after the loader copied them");
    }

    private static string Printed(string path) => File.Exists(path) ? File.ReadAllText(path) : "";

    /// <summary>The Linux process running a Windows executable under Wine: its command line starts with the .exe's path.</summary>
    private static int WineProcessOf(string executable)
    {
        foreach (string directory in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out int pid))
                continue;
            try
            {
                string[] arguments = File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0');
                if (arguments[0] == executable)
                    return pid;
            }
            catch (IOException)
            {
                // A process that ended meanwhile.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        Assert.Fail($"no process runs {executable}");
        return 0;
    }

    /// <summary>How many bytes of file range [offset, offset + size) are present in process pid's memory through a shared
    /// read-only mapping of executable (the host's whole-file view), from /proc/PID/maps and /proc/PID/pagemap (bit 63 of
    /// each page's entry: present; readable by the process's owner).</summary>
    private static long ResidentBytesOfViewOver(int pid, string executable, long offset, long size)
    {
        const long Page = 4096;
        foreach (string line in File.ReadAllLines($"/proc/{pid}/maps"))
        {
            // start-end perms offset dev inode path
            string[] fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 6 || fields[5].Trim() != executable || fields[1] != "r--s")
                continue;
            string[] range = fields[0].Split('-');
            long start = long.Parse(range[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            long end = long.Parse(range[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            long mappedOffset = long.Parse(fields[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (offset < mappedOffset || offset + size > mappedOffset + (end - start))
                continue;
            long first = (start + offset - mappedOffset) / Page;
            long last = (start + offset + size - mappedOffset - 1) / Page;
            var entries = new byte[(last - first + 1) * 8];
            using (FileStream pagemap = File.OpenRead($"/proc/{pid}/pagemap"))
            {
                pagemap.Seek(first * 8, SeekOrigin.Begin);
                pagemap.ReadExactly(entries);
            }
            long present = 0;
            for (int i = 0; i < entries.Length; i += 8)
                if ((BitConverter.ToUInt64(entries, i) >> 63) != 0)
                    present++;
            return present * Page;
        }
        Assert.Fail($"process {pid} has no shared read-only mapping of {executable} over bytes {offset}-{offset + size}:{Environment.NewLine}{File.ReadAllText($"/proc/{pid}/maps")}");
        return 0;
    }

    /// <summary>Authenticode signing after publish (osslsigncode here, signtool on Windows) appends a certificate table
    /// after the trailer and points the PE security directory at it: the host and oxidize-inspect (and the C# reader: PackedResourcesReaderTests) find
    /// the trailer just before that table (docs/format.md), so the signed .exe runs and lists as before.</summary>
    [TestMethod]
    public void AuthenticodeSignedExecutableStillRuns()
    {
        const string osslsigncode = "/usr/bin/osslsigncode";
        const string openssl = "/usr/bin/openssl";
        if (!File.Exists(osslsigncode) || !File.Exists(openssl))
            Prerequisite.Missing($"{osslsigncode} and {openssl} (Debian packages osslsigncode and openssl, installed by ./build.sh)");
        string unsigned = CopyOfOxidizedHello(nameof(AuthenticodeSignedExecutableStillRuns));
        string folder = Path.GetDirectoryName(unsigned)!;
        string key = Path.Combine(folder, "key.pem"), certificate = Path.Combine(folder, "certificate.pem"), signed = Path.Combine(folder, "Signed.exe");
        // A throwaway self-signed certificate: the host does not verify signatures (Windows does), it only has to
        // find its payload in a signed file.
        ProcessResult makeCertificate = ProcessRunner.Run(openssl,
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "2", "-subj", "/CN=Oxidize test signer"],
            timeout: TimeSpan.FromMinutes(1));
        Assert.AreEqual(0, makeCertificate.ExitCode, makeCertificate.ToString());
        ProcessResult sign = ProcessRunner.Run(osslsigncode,
            ["sign", "-certs", certificate, "-key", key, "-n", "Hello", "-in", unsigned, "-out", signed], timeout: TimeSpan.FromMinutes(2));
        Assert.AreEqual(0, sign.ExitCode, sign.ToString());
        long unsignedLength = new FileInfo(unsigned).Length;
        using (var stream = File.OpenRead(signed))
        using (var pe = new PEReader(stream))
        {
            // The security directory's address is a file offset: the table starts where the unsigned file ended
            // (the publish ends the file 8-aligned, so signing adds no padding) and ends the file.
            DirectoryEntry table = pe.PEHeaders.PEHeader!.CertificateTableDirectory;
            Assert.AreEqual(unsignedLength, table.RelativeVirtualAddress, "the certificate table does not start where the unsigned file ended");
            Assert.AreEqual(stream.Length, (long)table.RelativeVirtualAddress + table.Size, "the certificate table does not end the file");
        }

        WineRun run = WineRunner.Run(signed, ["signed", "--exit-code", "5"]);

        Assert.AreEqual(5, run.ExitCode, run.ToString());
        Assert.Contains("args: [signed|--exit-code|5]", run.StandardOutput, run.ToString());
        CollectionAssert.AreEqual(PackedExecutable.Entries(unsigned).Values.ToArray(), PackedExecutable.Entries(signed).Values.ToArray(),
            "oxidize-inspect lists the signed file differently");
    }

    /// <summary>A NuGet native DLL (Microsoft.Data.Sqlite's e_sqlite3.dll from runtimes/win-x64/native) is packed as a
    /// native library and loaded from memory: one AuditSqlite.exe that queries an in-memory database and writes nothing.</summary>
    [TestMethod]
    public void OxidizedSqliteRunsUnderWineAndWritesNothing()
    {
        string executable = Published(OxidizedSqlite);
        CollectionAssert.AreEqual(new[] { executable }, Directory.GetFileSystemEntries(Path.GetDirectoryName(executable)!),
            $"The publish folder holds more than AuditSqlite.exe:{OxidizedSqlite.Value.Publish}");
        Assert.AreEqual(2, PackedExecutable.Entries(executable)["e_sqlite3.dll"].Kind, "e_sqlite3.dll is not packed as a native library");

        WineRun run = RunWritingNothing(executable, ["--query", "select 6 * 7"], null);

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        Assert.AreEqual("result: 42\n", run.StandardOutput, run.ToString());
    }

    /// <summary>Runs the program and fails if anything appeared, changed or vanished beside it or in the prefix's folders
    /// an app writes to (the user profile with AppData and Temp, Windows' temp).</summary>
    /// <summary>Runs the executable under Wine and asserts that nothing changed beside it or in the prefix's writable folders.</summary>
    internal static WineRun RunWritingNothing(string executable, string[] arguments, string? standardInput)
    {
        WineRunner.PrepareEnvironment(); // the prefix exists before the first snapshot
        string[] watched = [Path.GetDirectoryName(executable)!, .. WineRunner.WritableFolders];
        FolderSnapshot before = FolderSnapshot.Take(watched);

        WineRun run = WineRunner.Run(executable, arguments, standardInput);

        IReadOnlyList<string> changes = FolderSnapshot.Take(watched).ChangesSince(before);
        Assert.IsEmpty(changes, $"The run changed files:{Environment.NewLine}{string.Join(Environment.NewLine, changes)}{run}");
        return run;
    }

    private static void AssertHelloOutput(WineRun run, string executable)
    {
        string folder = Path.GetDirectoryName(executable)!;
        foreach (string expected in new[]
        {
            "Hello from an oxidized app!", ExpectedArguments, "stdin: hello stdin", $" {RuntimeIdentifier}\n",
            $"process: {WindowsPath(executable)}\n", $"base directory: {WindowsPath(folder)}\\\n",
        })
        {
            Assert.Contains(expected, run.StandardOutput, $"Missing '{expected}' in stdout:{run}");
        }
    }

    /// <summary>Files named like <paramref name="names"/> beside <paramref name="executable"/> that are not DLLs.</summary>
    private static void Plant(string executable, params string[] names)
    {
        foreach (string name in names)
            File.WriteAllText(Path.Combine(Path.GetDirectoryName(executable)!, name), $"planted {name}: not a DLL\n");
    }

    /// <summary>How a Windows program under Wine sees a Linux path: drive Z: is the root.</summary>
    private static string WindowsPath(string linuxPath) => "Z:" + linuxPath.Replace('/', '\\');

    private static string CopyOfOxidizedHello(string scratchName)
    {
        string folder = Path.Combine(RepoPaths.EndToEndFolder, scratchName);
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        string copy = Path.Combine(folder, "Hello.exe");
        File.Copy(OxidizedHelloExecutable, copy);
        return copy;
    }

    private static string Published(Lazy<(SampleProject Sample, ProcessResult Publish)> published)
    {
        (SampleProject sample, ProcessResult publish) = published.Value;
        Assert.AreEqual(0, publish.ExitCode, $"Publishing {sample.Name} for {RuntimeIdentifier} with -p:Oxidize=true failed:{publish}");
        Assert.IsTrue(File.Exists(sample.WindowsExecutablePath), $"The publish did not produce {sample.WindowsExecutablePath}:{publish}");
        return sample.WindowsExecutablePath;
    }
}

using System.Security.Cryptography;
using System.Text;
using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// Issue 6: a single executable is copied into minimal containers, read-only root filesystems and services without
/// $HOME; it must behave as it was built to whatever the environment. Each test runs tests/Samples/Robust
/// (`Robust info`: process path, base directory, cwd, HOME, arguments, one stdin line) in one hostile condition.
/// (A read-only working directory is OxidizedAppRunTests.RunsFromAnotherDirectoryWithEmptyEnvironmentAndReadOnlyCwd.)
/// </summary>
[TestClass]
public sealed class HostileEnvironmentTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(1);

    private static string Executable => PublishedRobust.ExecutablePath;

    /// <summary>AppContext.BaseDirectory of the published executable: its real folder, with a trailing slash.</summary>
    private static string BaseDirectory => PublishedRobust.PublishDirectory + "/";

    private static string Scratch(string test)
    {
        string folder = Path.Combine(RepoPaths.EndToEndFolder, nameof(HostileEnvironmentTests), test);
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>Asserts a successful `Robust info` run that read <paramref name="stdin"/> and returns what it reported.</summary>
    private static AppReport AssertInfo(ProcessResult run, string stdin = "<end of input>")
    {
        Assert.AreEqual(0, run.ExitCode, $"The app failed:{run}");
        var report = new AppReport(run.StandardOutput);
        Assert.AreEqual(stdin, report["stdin"], run.ToString());
        Assert.EndsWith(" linux-x64", report["runtime"], run.ToString());
        return report;
    }

    [TestMethod]
    public void EmptyEnvironmentWithoutEvenPath()
    {
        ProcessResult run = ProcessRunner.Run(
            Executable, ["info", "empty"], workingDirectory: "/", standardInput: "a line\n",
            environment: new Dictionary<string, string>(), timeout: RunTimeout);

        AppReport report = AssertInfo(run, "a line");
        Assert.AreEqual("<unset>", report["home"], run.ToString());
        Assert.AreEqual("<unset>", report["path"], run.ToString());
        // The only variable is the one the host adds (DOTNET_EnableDiagnostics=0, see docs/security.md).
        Assert.AreEqual("1", report["environment variables"], run.ToString());
        Assert.AreEqual(Executable, report["process"], run.ToString());
        Assert.AreEqual(BaseDirectory, report["base directory"], run.ToString());
    }

    [TestMethod]
    public void HomeUnset()
    {
        ProcessResult run = ProcessRunner.Run(
            Executable, ["info", "no-home"], workingDirectory: "/", standardInput: "",
            environment: new Dictionary<string, string> { ["PATH"] = ReadOnlyDirectory.MinimalPath, ["LANG"] = "C.UTF-8" },
            timeout: RunTimeout);

        AppReport report = AssertInfo(run);
        Assert.AreEqual("<unset>", report["home"], run.ToString());
        Assert.AreEqual(ReadOnlyDirectory.MinimalPath, report["path"], run.ToString());
        Console.WriteLine($"HOME unset: user profile '{report["user profile"]}', temp path '{report["temp path"]}'");
    }

    [TestMethod]
    public void ReadOnlyTmp()
    {
        // The tmpfs hides everything under /tmp, so an executable that lives there (a checkout under /tmp) runs from a
        // copy elsewhere, removed afterwards.
        string executable = Executable;
        string? copyFolder = null;
        if (executable.StartsWith("/tmp/", StringComparison.Ordinal))
        {
            copyFolder = Path.Combine("/var/tmp", "oxidize-read-only-tmp-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(copyFolder);
            executable = Path.Combine(copyFolder, Path.GetFileName(Executable));
            File.Copy(Executable, executable);
            File.SetUnixFileMode(executable, File.GetUnixFileMode(Executable));
        }
        try
        {
        // An empty read-only tmpfs over /tmp, as on a locked-down root filesystem; the runtime's diagnostics, which would
        // create pipes and a socket there, are off by default, and turning them on must not break the app either.
        const string script =
            "mount -t tmpfs -o ro,size=1m tmpfs /tmp || exit 90; " +
            "if touch /tmp/probe 2>/dev/null; then exit 91; fi; " +
            "cd / && exec env -i $2 \"$1\" info read-only-tmp";
            foreach (string diagnostics in new[] { "", "DOTNET_EnableDiagnostics=1" })
            {
                ProcessResult run = PrivateMounts.Run(script, [executable, diagnostics], timeout: RunTimeout);
                AppReport report = AssertInfo(run);
                Assert.AreEqual("/tmp/", report["temp path"], run.ToString());
                Assert.AreEqual("", run.StandardError, $"nothing on stderr with diagnostics '{diagnostics}':{run}");
            }
        }
        finally
        {
            if (copyFolder is not null)
                Directory.Delete(copyFolder, recursive: true);
        }
    }

    [TestMethod]
    public void NoTmpAtAllInAChrootWithTheExecutableReadOnly()
    {
        // A root with only /usr, /etc, /proc, /dev, /sys and the app's folder, bound read-only at /app: no /tmp, no HOME.
        string root = Path.Combine(Scratch(nameof(NoTmpAtAllInAChrootWithTheExecutableReadOnly)), "root");
        const string script =
            "r=\"$1\"; app=\"$2\"; " +
            "for d in usr etc proc dev sys app; do mkdir -p \"$r/$d\" || exit 90; done; " +
            "for d in usr etc proc dev sys; do mount --rbind \"/$d\" \"$r/$d\" || exit 90; done; " +
            // Merged /usr (Debian 12): /bin, /lib, /lib64 are symbolic links into /usr; otherwise bind them too.
            "for d in bin sbin lib lib32 lib64 libx32; do " +
            "  if [ -L \"/$d\" ]; then ln -sfn \"$(readlink \"/$d\")\" \"$r/$d\" || exit 90; " +
            "  elif [ -d \"/$d\" ]; then mkdir -p \"$r/$d\" && mount --rbind \"/$d\" \"$r/$d\" || exit 90; fi; " +
            "done; " +
            "mount --bind \"$app\" \"$r/app\" && mount -o remount,bind,ro \"$r/app\" || exit 91; " +
            "if [ -e \"$r/tmp\" ]; then exit 92; fi; " +
            "exec /usr/sbin/chroot \"$r\" /usr/bin/env -i /app/Robust info no-tmp";

        ProcessResult run = PrivateMounts.Run(script, [root, PublishedRobust.PublishDirectory], timeout: RunTimeout);

        AppReport report = AssertInfo(run);
        Assert.AreEqual("/app/Robust", report["process"], run.ToString());
        Assert.AreEqual("/app/", report["base directory"], run.ToString());
        Assert.AreEqual("<unset>", report["home"], run.ToString());
        Assert.AreEqual("", run.StandardError, run.ToString());
    }

    [TestMethod]
    public void NoDevAndStandardDescriptorsClosedInAChroot()
    {
        // A root with no /dev at all and stdin, stdout and stderr closed: the host must fill 0-2 before it opens its
        // own files, or the app's output lands in the runtime's memfds (issue 13: SIGSEGV). Without /dev/null it uses
        // pipes: stdin reads end of file, writes to stdout and stderr go nowhere.
        string root = Path.Combine(Scratch(nameof(NoDevAndStandardDescriptorsClosedInAChroot)), "root");
        string output = Scratch(Path.Combine(nameof(NoDevAndStandardDescriptorsClosedInAChroot), "out"));
        string reportFile = Path.Combine(output, "report.txt");
        File.Delete(reportFile);
        const string script =
            "r=\"$1\"; app=\"$2\"; out=\"$3\"; " +
            "for d in usr etc proc sys app out; do mkdir -p \"$r/$d\" || exit 90; done; " +
            "for d in usr etc proc sys; do mount --rbind \"/$d\" \"$r/$d\" || exit 90; done; " +
            "for d in bin sbin lib lib32 lib64 libx32; do " +
            "  if [ -L \"/$d\" ]; then ln -sfn \"$(readlink \"/$d\")\" \"$r/$d\" || exit 90; " +
            "  elif [ -d \"/$d\" ]; then mkdir -p \"$r/$d\" && mount --rbind \"/$d\" \"$r/$d\" || exit 90; fi; " +
            "done; " +
            "mount --bind \"$app\" \"$r/app\" && mount -o remount,bind,ro \"$r/app\" && mount --bind \"$out\" \"$r/out\" || exit 91; " +
            "if [ -e \"$r/dev\" ]; then exit 92; fi; " +
            "/usr/sbin/chroot \"$r\" /usr/bin/env -i /app/Robust report /out/report.txt no-dev <&- >&- 2>&-; " +
            "echo \"exit code: $?\"";

        ProcessResult run = PrivateMounts.Run(script, [root, PublishedRobust.PublishDirectory, output], timeout: RunTimeout);

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        Assert.Contains("exit code: 0", run.StandardOutput, run.ToString());
        var report = new AppReport(File.ReadAllText(reportFile));
        Assert.AreEqual("/app/Robust", report["process"], run.ToString());
        Assert.AreEqual("<end of input>", report["stdin"], "stdin is a pipe whose writer is closed");
        Assert.AreEqual("ok", report["after console writes"], "writing 100 KB to stdout and stderr failed or never returned");
    }

    [TestMethod]
    public void TooFewFileDescriptorsForTheRuntimesMemfdExitWith185NamingTheLimit()
    {
        // Four descriptors: 0-2 and the executable itself, none left for what loading libcoreclr.so opens (its
        // dependencies, now that it is mapped from the executable; its memfd before) (issue 13: the message said
        // "Linux 3.17 or newer is required").
        ProcessResult run = ProcessRunner.Run("prlimit", ["--nofile=4:4", Executable, "info"], timeout: RunTimeout);

        Assert.AreEqual(185, run.ExitCode, run.ToString());
        Assert.Contains("Too many open files", run.StandardError, run.ToString());
        Assert.Contains("no file descriptor left: raise its limit (ulimit -n", run.StandardError, run.ToString());
        Assert.DoesNotContain("3.17", run.StandardError, run.ToString());
    }

    [TestMethod]
    public void StartedFromAMemfdThroughFexecveExitsWith189NamingThePath()
    {
        // A launcher that copies the executable into a memfd and runs that (fexecve), as some sandboxes and
        // self-updaters do: there is no folder the app's files live in (issue 13: it ended in HRESULT 0x8007ff0b).
        string folder = Scratch(nameof(StartedFromAMemfdThroughFexecveExitsWith189NamingThePath));
        File.WriteAllText(Path.Combine(folder, "memfd_launcher.c"), """
            #define _GNU_SOURCE
            #include <fcntl.h>
            #include <stdio.h>
            #include <sys/mman.h>
            #include <sys/sendfile.h>
            #include <sys/stat.h>
            #include <unistd.h>

            extern char **environ;

            int main(int argc, char **argv)
            {
                if (argc < 2)
                    return 90;
                int file = open(argv[1], O_RDONLY);
                int memory = memfd_create("oxidized-app", 0);
                struct stat status;
                if (file < 0 || memory < 0 || fstat(file, &status) != 0)
                    return 91;
                for (off_t copied = 0; copied < status.st_size;) {
                    ssize_t n = sendfile(memory, file, NULL, (size_t)(status.st_size - copied));
                    if (n <= 0)
                        return 92;
                    copied += n;
                }
                fexecve(memory, argv + 1, environ);
                perror("fexecve");
                return 93;
            }
            """);
        ProcessResult gcc = ProcessRunner.Run("gcc", ["-O2", "-o", "memfd_launcher", "memfd_launcher.c"], workingDirectory: folder,
            timeout: TimeSpan.FromMinutes(2));
        Assert.AreEqual(0, gcc.ExitCode, $"Compiling the launcher failed:{gcc}");

        ProcessResult run = ProcessRunner.Run(Path.Combine(folder, "memfd_launcher"), [Executable, "info"], timeout: RunTimeout);

        Assert.AreEqual(189, run.ExitCode, run.ToString());
        Assert.Contains("this executable must be started from a file on a path", run.StandardError, run.ToString());
        Assert.Contains("/proc/self/exe is \"/memfd:oxidized-app (deleted)\"", run.StandardError, run.ToString());
        Assert.DoesNotContain("HRESULT", run.StandardError, run.ToString());
    }

    [TestMethod]
    public void ExecutableOnAReadOnlyPathStartedThroughSymlinksAndRelativePaths()
    {
        string links = Scratch(Path.Combine(nameof(ExecutableOnAReadOnlyPathStartedThroughSymlinksAndRelativePaths), "links"));
        string absoluteLink = Path.Combine(links, "absolute-link");
        string relativeLink = Path.Combine(links, "relative-link");
        foreach (string link in new[] { absoluteLink, relativeLink })
        {
            File.Delete(link);
        }
        File.CreateSymbolicLink(absoluteLink, Executable);
        File.CreateSymbolicLink(relativeLink, Path.GetRelativePath(links, Executable));
        string relativeExecutable = Path.GetRelativePath(links, Executable);

        // Each way of starting prints "=== how", the app's report and "exit code: N".
        string script =
            "app=\"$1\"; links=\"$2\"; relative=\"$3\"; " +
            PrivateMounts.BindReadOnly("\"$app\"") +
            "if touch \"$app/probe\" 2>/dev/null; then exit 91; fi; " +
            "echo '=== absolute symlink'; cd / && env -i \"$links/absolute-link\" info </dev/null; echo \"exit code: $?\"; " +
            "echo '=== relative symlink'; cd / && env -i \"$links/relative-link\" info </dev/null; echo \"exit code: $?\"; " +
            "echo '=== relative path'; cd \"$links\" && env -i \"$relative\" info </dev/null; echo \"exit code: $?\"; " +
            "echo '=== ./ in the read-only folder'; cd \"$app\" && env -i ./Robust info </dev/null; echo \"exit code: $?\"; " +
            "echo '=== PATH lookup of a symlink'; cd / && env -i PATH=\"$links\" absolute-link info </dev/null; echo \"exit code: $?\"";

        ProcessResult run = PrivateMounts.Run(script, [PublishedRobust.PublishDirectory, links, relativeExecutable], timeout: RunTimeout);

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        var expectedCwd = new Dictionary<string, string>
        {
            ["absolute symlink"] = "/",
            ["relative symlink"] = "/",
            ["relative path"] = links,
            ["./ in the read-only folder"] = PublishedRobust.PublishDirectory,
            ["PATH lookup of a symlink"] = "/",
        };
        string[] sections = run.StandardOutput.Split("=== ", StringSplitOptions.RemoveEmptyEntries);
        Assert.HasCount(expectedCwd.Count, sections, run.ToString());
        foreach (string section in sections)
        {
            string how = section[..section.IndexOf('\n')];
            var report = new AppReport(section);
            Assert.AreEqual("0", report["exit code"], $"{how}:{run}");
            // Like the .NET apphost, the host resolves symbolic links: the process path and base directory are the real file's.
            Assert.AreEqual(Executable, report["process"], $"{how}:{run}");
            Assert.AreEqual(BaseDirectory, report["base directory"], $"{how}:{run}");
            Assert.AreEqual(expectedCwd[how], report["cwd"], $"{how}:{run}");
        }
    }

    [TestMethod]
    public void StdinClosed()
    {
        // Not /dev/null: file descriptor 0 is closed when the app starts.
        ProcessResult run = ProcessRunner.Run(
            "sh", ["-c", "exec \"$0\" info stdin-closed <&-", Executable], workingDirectory: "/",
            environment: new Dictionary<string, string> { ["PATH"] = ReadOnlyDirectory.MinimalPath }, timeout: RunTimeout);

        AppReport report = AssertInfo(run, "<end of input>");
        // The first file the host opens takes the free descriptor 0 (its own executable, positioned at its end).
        Console.WriteLine($"stdin closed: descriptor 0 is '{report.Descriptors("fd").GetValueOrDefault(0, "<closed>")}'");
    }

    [TestMethod]
    public void VeryLongArgumentList()
    {
        // 2,000 arguments of 500 characters: about 1 MB, half of Linux's usual ARG_MAX (2 MB).
        string[] arguments = Enumerable.Range(0, 2000).Select(i => $"{i:D4}-" + new string((char)('a' + i % 26), 495)).ToArray();

        ProcessResult run = ProcessRunner.Run(Executable, ["info", .. arguments], workingDirectory: "/", standardInput: "", timeout: RunTimeout);

        AppReport report = AssertInfo(run);
        Assert.AreEqual("2000", report["args"], "argument count");
        Assert.AreEqual("1000000", report["args chars"], "characters in all arguments");
        Assert.AreEqual(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", arguments)))), report["args sha256"],
            "the arguments arrive unchanged");
    }

    [TestMethod]
    public void NonUtf8ArgumentsArriveAsInANormalDotnetApp()
    {
        // Bytes no UTF-8 decoder accepts: 0xff, an encoded surrogate (ED A0 80), an overlong '/' (C0 AF); and valid é, λ.
        const string script =
            "exec \"$@\" info \"$(printf 'a\\377b')\" \"$(printf '\\303\\251\\355\\240\\200')\" \"$(printf '\\300\\257x')\" \"$(printf 'ok\\316\\273')\"";
        (string dotnet, string[] assembly) = PublishedRobust.FrameworkDependentCommand;

        ProcessResult oxidized = ProcessRunner.Run("sh", ["-c", script, "sh", Executable], workingDirectory: "/", standardInput: "", timeout: RunTimeout);
        ProcessResult normal = ProcessRunner.Run("sh", ["-c", script, "sh", dotnet, .. assembly], workingDirectory: "/", standardInput: "", timeout: RunTimeout);

        AppReport oxidizedReport = AssertInfo(oxidized);
        AppReport normalReport = AssertInfo(normal);
        Assert.AreEqual("4", oxidizedReport["args"], oxidized.ToString());
        foreach (string key in new[] { "args", "args chars", "args sha256", "arg 0", "arg 1", "arg 2", "arg 3" })
        {
            Assert.AreEqual(normalReport[key], oxidizedReport[key], $"'{key}' differs from `dotnet Robust.dll`:{oxidized}{normal}");
        }
        // What .NET does with them: each invalid sequence becomes U+FFFD; valid characters pass unchanged.
        Assert.AreEqual("U+0061 U+FFFD U+0062", oxidizedReport["arg 0"], oxidized.ToString());
        Assert.AreEqual("U+006F U+006B U+03BB", oxidizedReport["arg 3"], oxidized.ToString());
    }

    [TestMethod]
    public void DotnetHostVariablesHaveNoEffectBecauseNoHostfxrIsLoaded()
    {
        // Variables read by the official host (hostfxr/hostpolicy), which an oxidized executable never loads. Each points
        // into a "poison" folder: a deps.json naming a missing assembly, a store, a root, a host trace file.
        string poison = Path.Combine(Scratch(nameof(DotnetHostVariablesHaveNoEffectBecauseNoHostfxrIsLoaded)), "poison");
        if (Directory.Exists(poison))
        {
            Directory.Delete(poison, recursive: true);
        }
        Directory.CreateDirectory(poison);
        string extraDeps = Path.Combine(poison, "extra.deps.json");
        File.WriteAllText(extraDeps, """
            {
              "runtimeTarget": { "name": ".NETCoreApp,Version=v10.0" },
              "targets": { ".NETCoreApp,Version=v10.0": { "Poison/1.0.0": { "runtime": { "Poison.dll": {} } } } },
              "libraries": { "Poison/1.0.0": { "type": "project", "serviceable": false, "sha512": "" } }
            }
            """);
        string traceFile = Path.Combine(poison, "host-trace.log");
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = ReadOnlyDirectory.MinimalPath,
            ["DOTNET_ADDITIONAL_DEPS"] = extraDeps,
            ["DOTNET_SHARED_STORE"] = Path.Combine(poison, "store"),
            ["DOTNET_ROOT"] = Path.Combine(poison, "dotnet-root"),
            ["DOTNET_ROOT_X64"] = Path.Combine(poison, "dotnet-root-x64"),
            ["DOTNET_ROLL_FORWARD"] = "LatestMajor",
            ["DOTNET_ROLL_FORWARD_TO_PRERELEASE"] = "1",
            ["COREHOST_TRACE"] = "1",
            ["COREHOST_TRACE_VERBOSITY"] = "4",
            ["COREHOST_TRACEFILE"] = traceFile,
        };
        string straceLog = Path.Combine(poison, "..", "strace.log");

        ProcessResult oxidized = ProcessRunner.Run(
            "strace", ["-f", "-qq", "-e", "trace=%file", "-o", straceLog, Executable, "info", "poisoned"],
            workingDirectory: "/", standardInput: "", environment: environment, timeout: RunTimeout);

        AppReport report = AssertInfo(oxidized);
        Assert.AreEqual("1", report["args"], oxidized.ToString());
        Assert.IsFalse(File.Exists(traceFile), "COREHOST_TRACEFILE was written: something read the host's variables");
        Assert.AreEqual("", oxidized.StandardError, $"COREHOST_TRACE printed a trace:{oxidized}");
        string[] touched = File.ReadAllLines(straceLog).Where(line => line.Contains(poison, StringComparison.Ordinal) && !line.Contains("execve(", StringComparison.Ordinal)).ToArray();
        Assert.IsEmpty(touched, "a file system call named a path from the variables:\n" + string.Join('\n', touched));

        // The same variables do reach a normal app: its host fails on the missing assembly and writes its trace file.
        (string dotnet, string[] assembly) = PublishedRobust.FrameworkDependentCommand;
        ProcessResult normal = ProcessRunner.Run(dotnet, [.. assembly, "info"], workingDirectory: "/", standardInput: "", environment: environment, timeout: RunTimeout);
        Assert.AreNotEqual(0, normal.ExitCode, $"`dotnet Robust.dll` ignored DOTNET_ADDITIONAL_DEPS:{normal}");
        Assert.Contains("extra.deps.json", normal.Output, normal.ToString());
        Assert.IsTrue(File.Exists(traceFile), "`dotnet Robust.dll` ignored COREHOST_TRACEFILE");
    }

    [TestMethod]
    public void RuntimeKnobsFromTheEnvironmentAreHonoured()
    {
        // CoreCLR reads DOTNET_* configuration knobs itself; an oxidized app honours them as any .NET app does.
        ProcessResult workstation = ProcessRunner.Run(Executable, ["info"], workingDirectory: "/", standardInput: "",
            environment: new Dictionary<string, string> { ["PATH"] = ReadOnlyDirectory.MinimalPath }, timeout: RunTimeout);
        ProcessResult server = ProcessRunner.Run(Executable, ["info"], workingDirectory: "/", standardInput: "",
            environment: new Dictionary<string, string> { ["PATH"] = ReadOnlyDirectory.MinimalPath, ["DOTNET_gcServer"] = "1" }, timeout: RunTimeout);

        Assert.AreEqual("False", AssertInfo(workstation)["server gc"], workstation.ToString());
        Assert.AreEqual("True", AssertInfo(server)["server gc"], $"DOTNET_gcServer=1 was ignored:{server}");
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Oxidize.Tests.Shared;

/// <summary>What a Windows program run under Wine printed and returned. Line ends are "\n" (Windows' "\r\n" folded).</summary>
public sealed record WineRun(string CommandLine, int ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed)
{
    /// <summary>The command, exit code, time and everything it printed, for assertion messages.</summary>
    public override string ToString() =>
        $"{Environment.NewLine}$ {CommandLine}{Environment.NewLine}exit code {ExitCode} after {Elapsed.TotalSeconds:F1} s" +
        $"{Environment.NewLine}stdout:{Environment.NewLine}{StandardOutput}stderr:{Environment.NewLine}{StandardError}";
}

/// <summary>
/// Runs win-x64 executables under Wine 8 (Debian's wine64, installed by ./build.sh) in the repository's own prefix,
/// artifacts/wine-prefix, which eng/wine.sh creates once and keeps warm (`wineserver -p 60`). Every run goes through
/// `timeout`, with stdin from /dev/null unless the test gives some: Wine 8 can hang (a second exception through
/// MethodInfo.Invoke on one thread), and a hang must fail the test as a Wine failure, never pass or stall the run.
/// </summary>
public static class WineRunner
{
    public const string Wine = "/usr/lib/wine/wine64";

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The ANSI code page Wine uses under C.UTF-8 (eng/wine.sh): the app's redirected stdout and stderr are
    /// encoded in it, as on a Western European Windows.</summary>
    private const int OutputCodePage = 1252;

    /// <summary>The prefix eng/wine.sh manages.</summary>
    public static string PrefixDirectory => Path.Combine(RepositoryRoot.Path, "artifacts", "wine-prefix");

    /// <summary>The prefix's folders an app could leave files in: every user profile (AppData, Temp) and Windows' temp.</summary>
    public static IReadOnlyList<string> WritableFolders =>
    [
        Path.Combine(PrefixDirectory, "drive_c", "users"),
        Path.Combine(PrefixDirectory, "drive_c", "windows", "temp"),
    ];

    /// <summary>A Linux path as a Windows program under Wine sees it (Wine maps / to drive Z:).</summary>
    public static string WindowsPath(string linuxPath) => "Z:" + Path.GetFullPath(linuxPath).Replace('/', '\\');

    /// <param name="executable">A Windows executable, by its Linux path (Wine maps / to drive Z:).</param>
    /// <param name="arguments">Passed one by one (no shell); Wine quotes them into the Windows command line.</param>
    /// <param name="standardInput">The program's stdin (from a file); null gives the program /dev/null.</param>
    /// <param name="environment">Variables for the Windows program (Wine passes its environment on), e.g.
    /// DOTNET_EnableEventPipe; added to the prefix's (<see cref="PrepareEnvironment"/>).</param>
    public static WineRun Run(
        string executable, IEnumerable<string> arguments, string? standardInput = null, string? workingDirectory = null, TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        if (!File.Exists(executable))
            Assert.Fail($"{executable} does not exist.");
        TimeSpan limit = timeout ?? DefaultTimeout;
        Dictionary<string, string> wineEnvironment = PrepareEnvironment();
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
            wineEnvironment[name] = value;
        string streams = TestScratch.NewDirectory("wine-run");
        string stdinPath = "/dev/null";
        if (standardInput != null)
        {
            stdinPath = Path.Combine(streams, "stdin");
            File.WriteAllText(stdinPath, standardInput);
        }
        string stdoutPath = Path.Combine(streams, "stdout");
        string stderrPath = Path.Combine(streams, "stderr");
        List<string> command = CommandUnderTimeout(executable, arguments, limit);
        string commandLine = string.Join(' ', command.Select(Quote));
        var clock = Stopwatch.StartNew();
        using Process process = StartCommand(command, stdinPath, stdoutPath, stderrPath, workingDirectory ?? Path.GetDirectoryName(executable)!, wineEnvironment);
        // `timeout` itself should end everything at the limit; this is the guard in case it cannot.
        if (!process.WaitForExit(limit + TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"Wine timed out (a Wine failure, not a pass): no exit after {limit + TimeSpan.FromSeconds(30)}.{Environment.NewLine}$ {commandLine}");
        }
        clock.Stop();
        var run = new WineRun(commandLine, process.ExitCode, ReadOutput(stdoutPath), ReadOutput(stderrPath), clock.Elapsed);
        // 124: `timeout` ended it; 137: it had to SIGKILL. An app may exit 124 itself, but not at the limit.
        if ((run.ExitCode == 124 || run.ExitCode == 137) && run.Elapsed >= limit)
            Assert.Fail($"Wine timed out (a Wine failure, not a pass) after {limit.TotalSeconds:F0} s:{run}");
        return run;
    }

    /// <summary>Starts a Windows program under Wine as <see cref="Run"/> does (the prefix's environment, `timeout` at
    /// limit, stdin, stdout and stderr from and to files) without waiting for it, for a test that looks at the running
    /// process: stdin may be a FIFO the program then waits on. The caller waits for the returned process and disposes it.</summary>
    public static Process Start(string executable, IEnumerable<string> arguments, string stdinPath, string stdoutPath, string stderrPath, TimeSpan limit)
    {
        if (!File.Exists(executable))
            Assert.Fail($"{executable} does not exist.");
        return StartCommand(CommandUnderTimeout(executable, arguments, limit), stdinPath, stdoutPath, stderrPath,
            Path.GetDirectoryName(executable)!, PrepareEnvironment());
    }

    /// <summary>`timeout` ends Wine at the limit (SIGTERM, SIGKILL 10 s later).</summary>
    private static List<string> CommandUnderTimeout(string executable, IEnumerable<string> arguments, TimeSpan limit)
    {
        string seconds = ((int)Math.Ceiling(limit.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return ["timeout", "--kill-after=10", seconds, Wine, executable, .. arguments];
    }

    private static Process StartCommand(List<string> command, string stdinPath, string stdoutPath, string stderrPath,
        string workingDirectory, Dictionary<string, string> wineEnvironment)
    {
        var start = new ProcessStartInfo("/bin/sh") { WorkingDirectory = workingDirectory, UseShellExecute = false };
        // stdin, stdout and stderr are files, never pipes: the wineserver and the services (services.exe,
        // winedevice.exe, ...) the first run in a new prefix starts outlive the program and inherit its handles, so a
        // pipe would not reach end of file until they exit (a fresh prefix held stdout open for 30 s). With files the
        // run ends when `timeout` does, and nothing reads the test runner's own stdin.
        foreach (string argument in (string[])["-c", "in=\"$1\" out=\"$2\" err=\"$3\"; shift 3; exec \"$@\" <\"$in\" >\"$out\" 2>\"$err\"",
            "wine-run", stdinPath, stdoutPath, stderrPath, .. command])
            start.ArgumentList.Add(argument);
        start.Environment.Clear();
        foreach ((string name, string value) in wineEnvironment)
            start.Environment[name] = value;
        return Process.Start(start)!;
    }

    /// <summary>Creates or reuses the prefix and starts its server (eng/wine.sh, idempotent and locked), and returns the
    /// environment to run Wine with: PATH and HOME of this process plus the prefix's variables. Nothing else, so no
    /// DOTNET_* or MSBuild variable of the test runner reaches the Windows app (Wine passes its environment on).</summary>
    public static Dictionary<string, string> PrepareEnvironment()
    {
        if (!File.Exists(Wine))
            Prerequisite.Missing($"{Wine} (Debian package wine64, installed by ./build.sh)");
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin",
            ["HOME"] = Environment.GetEnvironmentVariable("HOME") ?? "/root",
        };
        // Output into files, as in Run: a wineserver the script starts must not keep a pipe of ours open.
        string streams = TestScratch.NewDirectory("wine-prepare");
        string stdoutPath = Path.Combine(streams, "stdout");
        string stderrPath = Path.Combine(streams, "stderr");
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (string argument in (string[])["-c", "out=\"$1\" err=\"$2\"; shift 2; exec \"$@\" </dev/null >\"$out\" 2>\"$err\"",
            "wine-prepare", stdoutPath, stderrPath, Path.Combine(RepositoryRoot.Path, "eng", "wine.sh")])
            start.ArgumentList.Add(argument);
        start.Environment.Clear();
        foreach ((string name, string value) in environment)
            start.Environment[name] = value;
        using Process script = Process.Start(start)!;
        // The first call creates the prefix: about 10-15 s here, far longer on a loaded machine.
        if (!script.WaitForExit(TimeSpan.FromMinutes(15)))
        {
            script.Kill(entireProcessTree: true);
            Assert.Fail("eng/wine.sh did not finish within 15 minutes (a Wine failure, not a pass).");
        }
        string output = File.ReadAllText(stdoutPath);
        if (script.ExitCode != 0)
            Assert.Fail($"eng/wine.sh failed with exit code {script.ExitCode}:{Environment.NewLine}{File.ReadAllText(stderrPath)}{output}");
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
                environment[line[..equals]] = line[(equals + 1)..];
        }
        if (!environment.ContainsKey("WINEPREFIX"))
            Assert.Fail($"eng/wine.sh printed no WINEPREFIX:{Environment.NewLine}{output}");
        return environment;
    }

    private static Encoding OutputEncoding
    {
        get
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return Encoding.GetEncoding(OutputCodePage);
        }
    }

    /// <summary>A stream's file as text; Windows' "\r\n" folded to "\n".</summary>
    private static string ReadOutput(string path) =>
        File.ReadAllText(path, OutputEncoding).Replace("\r\n", "\n", StringComparison.Ordinal);

    private static string Quote(string argument) =>
        argument.Length > 0 && !argument.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '$' or '\\')
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

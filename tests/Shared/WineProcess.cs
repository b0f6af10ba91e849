using System.Diagnostics;
using System.Globalization;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Oxidize.Tests.Shared;

/// <summary>
/// Runs a Windows program under Wine 8 (Debian package wine64, installed by ./build.sh) in the repository's own prefix,
/// artifacts/wine-prefix, made on first use (wineboot, then winecfg -v win10: .NET 10 refuses the Windows 7 Wine
/// claims by default). Every run is bounded by timeout(1) and gets /dev/null as stdin, and a timeout fails the test
/// as a Wine failure, never a pass (Wine 8 can hang, e.g. on a second exception through MethodInfo.Invoke on one thread).
/// </summary>
public static class WineProcess
{
    public const string Wine = "/usr/lib/wine/wine64";
    public const string WineServer = "/usr/lib/wine/wineserver";

    /// <summary>What timeout(1) exits with when the time ran out.</summary>
    private const int TimedOut = 124;

    private static readonly Lazy<string> ReadyPrefix = new(MakePrefix);

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() =>
            $"exit code {ExitCode}{Environment.NewLine}stdout:{Environment.NewLine}{Stdout}stderr:{Environment.NewLine}{Stderr}";
    }

    /// <summary>The prefix the runs use (made when missing).</summary>
    public static string Prefix => ReadyPrefix.Value;

    /// <summary>A Linux path as a Windows program under Wine sees it (Wine's Z: drive is /).</summary>
    public static string WindowsPath(string linuxPath) => "Z:" + Path.GetFullPath(linuxPath).Replace('/', '\\');

    /// <summary>Runs <paramref name="program"/> (a Linux path) with arguments passed one by one.</summary>
    public static Result Run(string program, IEnumerable<string> arguments, TimeSpan timeout)
    {
        string prefix = Prefix;
        string output = TestScratch.NewDirectory("wine-run");
        int exitCode = RunWithFiles(prefix, [program, .. arguments], timeout, output);
        string stdout = File.ReadAllText(Path.Combine(output, "stdout"));
        string stderr = File.ReadAllText(Path.Combine(output, "stderr"));
        if (exitCode == TimedOut)
            Assert.Fail($"Wine did not finish {Path.GetFileName(program)} in {timeout.TotalSeconds} s (a Wine failure, not a pass):" +
                $"{Environment.NewLine}{stdout}{stderr}");
        return new Result(exitCode, stdout, stderr);
    }

    /// <summary>
    /// wine64 under timeout(1), stdin /dev/null, stdout and stderr into files in <paramref name="output"/>. Files, not
    /// pipes: the wineserver and the services (winedevice.exe) a run starts outlive it and inherit its descriptors, so a
    /// pipe would not reach end of file until they exit.
    /// </summary>
    private static int RunWithFiles(string prefix, IEnumerable<string> arguments, TimeSpan timeout, string output)
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("out=\"$1\"; seconds=\"$2\"; shift 2; exec timeout -k 10 \"$seconds\" \"$@\" </dev/null >\"$out/stdout\" 2>\"$out/stderr\"");
        start.ArgumentList.Add("wine-run");
        start.ArgumentList.Add(output);
        start.ArgumentList.Add(((int)Math.Ceiling(timeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add(Wine);
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["WINEPREFIX"] = prefix;
        start.Environment["WINEDEBUG"] = "-all";
        using var process = Process.Start(start)!;
        process.WaitForExit();
        return process.ExitCode;
    }

    private static string MakePrefix()
    {
        if (!File.Exists(Wine) || !File.Exists(WineServer))
            Prerequisite.Missing($"{Wine} (Debian package wine64)");
        string prefix = Path.Combine(RepositoryRoot.Path, "artifacts", "wine-prefix");
        Directory.CreateDirectory(Path.GetDirectoryName(prefix)!);
        // One maker at a time across test processes: the other waits for the lock, then finds the prefix made.
        using (WaitForLock(prefix + ".lock"))
        {
            string ready = Path.Combine(prefix, ".oxidize-win10");
            if (!File.Exists(ready))
            {
                RunSetup(prefix, ["wineboot", "-i"]);
                RunSetup(prefix, ["winecfg", "-v", "win10"]);
                File.WriteAllText(ready, "wineboot -i; winecfg -v win10\n");
            }
        }
        // A wineserver that stays 60 s after its last client: about 0.2 s a start instead of 0.9 s. It ends by itself.
        var server = new ProcessStartInfo("/bin/sh", ["-c", $"exec {WineServer} -p 60 </dev/null >/dev/null 2>&1"]) { UseShellExecute = false };
        server.Environment["WINEPREFIX"] = prefix;
        using (var started = Process.Start(server)!)
            started.WaitForExit(TimeSpan.FromSeconds(30));
        return prefix;
    }

    private static void RunSetup(string prefix, string[] arguments)
    {
        string output = TestScratch.NewDirectory("wine-setup");
        int exitCode = RunWithFiles(prefix, arguments, TimeSpan.FromMinutes(5), output);
        if (exitCode != 0)
            Assert.Fail($"wine64 {string.Join(' ', arguments)} exited with {exitCode} ({TimedOut}: timed out) making {prefix}:" +
                $"{Environment.NewLine}{File.ReadAllText(Path.Combine(output, "stdout"))}{File.ReadAllText(Path.Combine(output, "stderr"))}");
    }

    private static FileStream WaitForLock(string path)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 600)
            {
                Thread.Sleep(500);
            }
        }
    }
}

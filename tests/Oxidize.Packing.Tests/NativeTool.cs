using Oxidize.Tests.Shared;
using System.Diagnostics;

namespace Oxidize.Packing.Tests;

/// <summary>Runs one of the built native tools on a file and captures what it did.</summary>
internal static class NativeTool
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = StartRetryingBusyText(start);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{tool} {string.Join(' ', arguments)} did not finish in 30 s");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    // A file just written by this test process can still be open in a child that another test thread
    // forked at that moment (until that child's exec closes it), and exec then fails with ETXTBSY.
    private static Process StartRetryingBusyText(ProcessStartInfo start)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return Process.Start(start)!;
            }
            catch (System.ComponentModel.Win32Exception exception) when (exception.NativeErrorCode == 26 && attempt < 20)
            {
                Thread.Sleep(10 * attempt);
            }
        }
    }

    /// <summary>Writes bytes to a fresh executable file in a per-test temp folder.</summary>
    public static string WriteExecutable(byte[] bytes, string name)
    {
        string directory = TestScratch.NewDirectory("executable");
        string path = Path.Combine(directory, name);
        File.WriteAllBytes(path, bytes);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}

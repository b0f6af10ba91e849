using System.Diagnostics;
using System.Text;

namespace Oxidize.EndToEnd.Tests.Infrastructure;

/// <summary>Runs one program to completion and captures what it prints.</summary>
public static class ProcessRunner
{
    /// <summary>Redirected stdin/stdout/stderr, the arguments as a list (never re-parsed), and exactly
    /// <paramref name="environment"/> when given (null inherits ours).</summary>
    public static ProcessStartInfo CreateStartInfo(
        string fileName, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string>? environment)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        if (environment != null)
        {
            startInfo.Environment.Clear();
            foreach ((string name, string value) in environment)
            {
                startInfo.Environment[name] = value;
            }
        }
        return startInfo;
    }

    /// <param name="arguments">Passed one by one (no shell), so spaces and quotes arrive unchanged.</param>
    /// <param name="standardInput">Written to stdin, which is then closed; null closes it at once (EOF).</param>
    /// <param name="environment">null inherits this process's environment; otherwise the child gets exactly these
    /// variables and nothing else (an empty dictionary means an empty environment).</param>
    public static ProcessResult Run(
        string fileName,
        IEnumerable<string> arguments,
        string? workingDirectory = null,
        string? standardInput = null,
        IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null)
    {
        ProcessStartInfo startInfo = CreateStartInfo(fileName, arguments, workingDirectory ?? Environment.CurrentDirectory, environment);

        string commandLine = string.Join(' ', startInfo.ArgumentList.Prepend(fileName).Select(Quote));
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var interleaved = new StringBuilder();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(e.Data, stdout, interleaved);
        process.ErrorDataReceived += (_, e) => Append(e.Data, stderr, interleaved);

        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        WriteStandardInput(process, standardInput);

        TimeSpan limit = timeout ?? TimeSpan.FromMinutes(10);
        if (!process.WaitForExit(limit))
        {
            // Kill what we started (and its children, e.g. MSBuild nodes), so a hung run does not outlive the test.
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"Timed out after {limit}: {commandLine}{Environment.NewLine}{Snapshot(interleaved, interleaved)}");
        }
        process.WaitForExit(); // drains the asynchronous stdout/stderr readers

        return new ProcessResult(
            commandLine, process.ExitCode, Snapshot(stdout, interleaved), Snapshot(stderr, interleaved), Snapshot(interleaved, interleaved));
    }

    private static void WriteStandardInput(Process process, string? text)
    {
        try
        {
            if (text != null)
            {
                process.StandardInput.Write(text);
            }
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The process exited without reading stdin; its exit code and output tell the story.
        }
    }

    private static void Append(string? line, StringBuilder stream, StringBuilder interleaved)
    {
        if (line == null)
        {
            return;
        }
        lock (interleaved)
        {
            stream.AppendLine(line);
            interleaved.AppendLine(line);
        }
    }

    // All three builders are written under the lock of the interleaved one (see Append).
    private static string Snapshot(StringBuilder builder, StringBuilder gate)
    {
        lock (gate)
        {
            return builder.ToString();
        }
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && !argument.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '$' or '\\')
            ? argument
            : "'" + argument.Replace("'", "'\\''") + "'";
}

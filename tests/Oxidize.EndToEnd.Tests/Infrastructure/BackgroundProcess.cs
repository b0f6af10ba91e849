using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Oxidize.EndToEnd.Tests.Infrastructure;

/// <summary>A long-running program (a web server) started by a test, signalled, and killed if still running at Dispose.</summary>
public sealed class BackgroundProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private BackgroundProcess(Process process, string commandLine)
    {
        this.process = process;
        CommandLine = commandLine;
    }

    public string CommandLine { get; }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>Stdout and stderr interleaved, so far.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <param name="environment">Exactly these variables (see <see cref="ProcessRunner.Run"/>); null inherits ours.</param>
    public static BackgroundProcess Start(
        string fileName, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string>? environment)
    {
        ProcessStartInfo startInfo = ProcessRunner.CreateStartInfo(fileName, arguments, workingDirectory, environment);
        var process = new Process { StartInfo = startInfo };
        var started = new BackgroundProcess(process, string.Join(' ', startInfo.ArgumentList.Prepend(fileName)));
        process.OutputDataReceived += (_, e) => started.Append(e.Data);
        process.ErrorDataReceived += (_, e) => started.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>Sends a signal by name (TERM, INT, ...) with kill(1).</summary>
    public void Signal(string signal)
    {
        ProcessResult kill = ProcessRunner.Run("kill", [$"-{signal}", Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], timeout: TimeSpan.FromSeconds(30));
        Assert.AreEqual(0, kill.ExitCode, $"Could not send SIG{signal} to {Id}:{kill}");
    }

    /// <summary>True if the process ended within <paramref name="timeout"/> (its output then fully read).</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!process.WaitForExit(timeout))
        {
            return false;
        }
        process.WaitForExit(); // drains the asynchronous readers
        return true;
    }

    /// <summary>The command, its state and everything it printed, for assertion messages.</summary>
    public override string ToString() =>
        $"{Environment.NewLine}$ {CommandLine}{Environment.NewLine}{(process.HasExited ? $"exit code {process.ExitCode}" : "still running")}{Environment.NewLine}{Output}";

    public void Dispose()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }
        process.Dispose();
    }

    /// <summary>A TCP port on 127.0.0.1 that nothing listens on right now (the OS picks it).</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line != null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }
}

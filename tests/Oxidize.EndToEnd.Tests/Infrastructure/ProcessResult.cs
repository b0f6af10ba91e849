namespace Oxidize.EndToEnd.Tests.Infrastructure;

/// <summary>What a finished process printed and returned.</summary>
/// <param name="Output">Stdout and stderr interleaved in the order the lines arrived, for failure messages.</param>
public sealed record ProcessResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError, string Output)
{
    /// <summary>The command, exit code and everything it printed, for assertion messages.</summary>
    public override string ToString() =>
        $"{Environment.NewLine}$ {CommandLine}{Environment.NewLine}exit code {ExitCode}{Environment.NewLine}{Output}";
}

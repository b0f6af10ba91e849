namespace Oxidize.Tool;

/// <summary>A failure the tool reports as one line on stderr and an exit code, never as a stack trace.</summary>
public sealed class ToolException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

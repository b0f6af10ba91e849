namespace Oxidize.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Runs a program with a read-only working directory and an environment of only PATH.
/// The tests run as root, which ignores directory permissions, so chmod cannot make a directory
/// read-only; a read-only bind mount in a private mount namespace can (and disappears with the process).
/// </summary>
public static class ReadOnlyDirectory
{
    public const string MinimalPath = "/usr/bin:/bin";

    /// <param name="directory">Created if needed; mounted read-only only inside the child's namespace.</param>
    public static ProcessResult Run(string directory, string program, IEnumerable<string> arguments, string? standardInput, TimeSpan timeout)
    {
        Directory.CreateDirectory(directory);
        // $1 = directory, $2 = program, the rest = the program's arguments (passed through "$@", never re-parsed).
        const string script =
            "d=\"$1\"; p=\"$2\"; shift 2; " +
            "mount --bind \"$d\" \"$d\" && mount -o remount,bind,ro \"$d\" && cd \"$d\" && " +
            $"exec env -i PATH={MinimalPath} \"$p\" \"$@\"";
        return ProcessRunner.Run(
            "unshare",
            ["--mount", "--propagation", "private", "sh", "-c", script, "sh", directory, program, .. arguments],
            standardInput: standardInput,
            environment: new Dictionary<string, string> { ["PATH"] = MinimalPath },
            timeout: timeout);
    }
}

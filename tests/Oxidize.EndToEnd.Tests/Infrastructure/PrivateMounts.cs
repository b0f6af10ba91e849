namespace Oxidize.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Runs a shell script in a private mount namespace (`unshare --mount --propagation private`), so it can mount over
/// /tmp, bind a folder read-only or build a chroot without changing anything outside: every mount disappears with
/// the process. The tests run as root (see <see cref="ReadOnlyDirectory"/>), which unshare and mount need.
/// </summary>
public static class PrivateMounts
{
    /// <param name="script">sh code; its arguments arrive as "$@" ($1 = the first of <paramref name="arguments"/>),
    /// passed through without re-parsing. It runs with PATH=/usr/bin:/bin and nothing else in its environment.</param>
    public static ProcessResult Run(string script, IEnumerable<string> arguments, string? standardInput = null, TimeSpan? timeout = null) =>
        ProcessRunner.Run(
            "unshare",
            ["--mount", "--propagation", "private", "sh", "-c", script, "sh", .. arguments],
            standardInput: standardInput,
            environment: new Dictionary<string, string> { ["PATH"] = ReadOnlyDirectory.MinimalPath },
            timeout: timeout ?? TimeSpan.FromMinutes(2));

    /// <summary>sh code that makes the folder <paramref name="folderExpression"/> names (e.g. "\"$1\"") read-only in the
    /// namespace, by a read-only bind mount of itself, or exits 90.</summary>
    public static string BindReadOnly(string folderExpression) =>
        $"mount --bind {folderExpression} {folderExpression} && mount -o remount,bind,ro {folderExpression} || exit 90; ";
}

namespace Oxidize.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Runs an executable as the only file of an otherwise empty root file system, as in a `FROM scratch` container
/// image: new mount and PID namespaces (`unshare --mount --pid --fork`), a fresh tmpfs holding the executable, /proc
/// mounted and /dev/null, /dev/urandom and /dev/zero bind-mounted (what a container runtime provides), entered with
/// chroot and an empty environment. Everything disappears with the process. The tests run as root, which unshare,
/// mount and chroot need.
/// </summary>
public static class EmptyRoot
{
    /// <param name="mountPoint">An empty folder the tmpfs is mounted on (only inside the namespace); created if needed.</param>
    /// <param name="pathInRoot">Where the executable sits inside the root, e.g. "/Hello".</param>
    public static ProcessResult Run(string mountPoint, string executable, string pathInRoot, IEnumerable<string> arguments,
        string? standardInput = null, TimeSpan? timeout = null)
    {
        Directory.CreateDirectory(mountPoint);
        string chroot = new[] { "/usr/sbin/chroot", "/sbin/chroot", "/usr/bin/chroot" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("chroot is not installed (Debian: coreutils).");
        // $1 = mount point, $2 = executable, $3 = its path in the root, the rest = its arguments ("$@", never re-parsed).
        const string script =
            "set -e; root=\"$1\"; executable=\"$2\"; target=\"$3\"; shift 3; " +
            "mount --make-rprivate /; " +
            "mount -t tmpfs -o size=1g,mode=0755 oxidize-empty-root \"$root\"; " +
            "mkdir -p \"$root$(dirname \"$target\")\" \"$root/proc\" \"$root/dev\"; " +
            "cp \"$executable\" \"$root$target\"; " +
            "for node in null urandom zero; do touch \"$root/dev/$node\"; mount --bind \"/dev/$node\" \"$root/dev/$node\"; done; " +
            "mount -t proc proc \"$root/proc\"; " +
            "cd \"$root\"; " +
            "exec env -i \"$CHROOT\" \"$root\" \"$target\" \"$@\"";
        return ProcessRunner.Run(
            "unshare",
            ["--mount", "--pid", "--fork", "--kill-child", "sh", "-c", script, "sh", mountPoint, executable, pathInRoot, .. arguments],
            standardInput: standardInput,
            environment: new Dictionary<string, string> { ["PATH"] = ReadOnlyDirectory.MinimalPath, ["CHROOT"] = chroot },
            timeout: timeout ?? TimeSpan.FromMinutes(2));
    }
}

using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// The strace checker on hand-written lines in strace 6's format: a checker that flags nothing would make
/// <see cref="FileAccessTests"/> pass whatever the app does.
/// </summary>
[TestClass]
public sealed class FileAccessTraceTests
{
    [TestMethod]
    [DataRow("""10 openat(AT_FDCWD, "/root/.dotnet/x", O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0666) = 3""")]
    [DataRow("""10 openat(AT_FDCWD, "/work/data.bin", O_RDWR <unfinished ...>""")]
    [DataRow("""10 creat("/var/x", 0644) = 3""")]
    [DataRow("""10 mkdir("/root/.net", 0700) = 0""")]
    [DataRow("""10 mkdirat(AT_FDCWD, "/root/.net", 0700) = -1 EEXIST (File exists)""")]
    [DataRow("""10 unlinkat(AT_FDCWD, "/proc/x", 0) = 0""")]
    [DataRow("""10 renameat2(AT_FDCWD, "/a", AT_FDCWD, "/b", RENAME_NOREPLACE) = 0""")]
    [DataRow("""10 symlink("/a", "/b") = 0""")]
    [DataRow("""10 openat(AT_FDCWD, "/app/libcoreclr.so", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)""")]
    [DataRow("""10 openat(AT_FDCWD, "/app/libSystem.Native.so", O_RDONLY|O_CLOEXEC) = 3""")]
    [DataRow("""10 open("/app/System.Private.CoreLib.dll", O_RDONLY) = 3""")]
    [DataRow("""10 openat(AT_FDCWD, "/tmp/clr-debug-pipe-10-in", O_RDONLY) = -1 ENOENT (No such file or directory)""")]
    [DataRow("""10 bind(5, {sa_family=AF_UNIX, sun_path="/tmp/dotnet-diagnostic-10-1-socket"}, 110) = 0""")]
    public void FlagsForbiddenCall(string line) =>
        Assert.HasCount(1, Check(line), $"Not flagged: {line}");

    [TestMethod]
    [DataRow("""10 openat(AT_FDCWD, "/proc/self/task/11/comm", O_RDWR) = 14""")]
    [DataRow("""10 openat(AT_FDCWD, "/dev/null", O_WRONLY|O_CLOEXEC) = 3""")]
    [DataRow("""10 openat(AT_FDCWD, "/lib/x86_64-linux-gnu/libstdc++.so.6", O_RDONLY|O_CLOEXEC) = 4""")]
    [DataRow("""10 openat(AT_FDCWD, "/proc/self/fd/4", O_RDONLY|O_CLOEXEC) = 5""")]
    [DataRow("""10 openat(AT_FDCWD, "/proc/self/fd/libcoreclrtraceptprovider.so", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)""")]
    [DataRow("""10 write(1, "saved to /tmp/x.dll with O_CREAT", 32) = 32""")]
    [DataRow("""10 <... openat resumed>) = 3""")]
    [DataRow("""10 execve("/app/Hello", ["/app/Hello"], 0x7ffd /* 1 var */) = 0""")]
    [DataRow("""10 readlink("/tmp", 0x7ffd, 1023) = -1 EINVAL (Invalid argument)""")]
    [DataRow("""10 openat(AT_FDCWD, "/tmp/checkout/app/Hello", O_RDONLY) = 11""")]
    public void AllowsHarmlessCall(string line) =>
        Assert.IsEmpty(Check(line), $"Wrongly flagged: {line}");

    [TestMethod]
    public void StillFlagsOtherTmpPathsWhenTheAppLivesUnderTmp()
    {
        Assert.HasCount(1, Check("""10 openat(AT_FDCWD, "/tmp/other/file", O_RDONLY) = 3"""));
        Assert.HasCount(1, Check("""10 openat(AT_FDCWD, "/tmp/checkout-sibling/x", O_RDONLY) = 3"""));
    }

    // As if the repo (and so the app) lived in /tmp/checkout, which CI's clone may.
    private static IReadOnlyList<string> Check(string line) => FileAccessTrace.FindViolations([line], "/tmp/checkout");
}

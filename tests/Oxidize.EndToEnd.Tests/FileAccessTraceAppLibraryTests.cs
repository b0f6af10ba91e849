using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// The strace checker's rule for the app's own native libraries (NuGet's and the project's), on hand-written
/// lines: without it, <see cref="RealAppFileAccessTests"/> would pass with libe_sqlite3.so read from disk.
/// </summary>
[TestClass]
public sealed class FileAccessTraceAppLibraryTests
{
    private static readonly string[] AppLibraries = ["libgreet.so", "libgreetdep.so", "libe_sqlite3.so"];

    [TestMethod]
    [DataRow("""10 openat(AT_FDCWD, "/app/libgreet.so", O_RDONLY|O_CLOEXEC) = 3""")]
    [DataRow("""10 openat(AT_FDCWD, "/app/greet.so", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)""")]
    [DataRow("""10 openat(AT_FDCWD, "/app/libgreet", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)""")]
    [DataRow("""10 openat(AT_FDCWD, "/usr/lib/x86_64-linux-gnu/libgreetdep.so", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)""")]
    [DataRow("""10 open("/app/runtimes/linux-x64/native/libe_sqlite3.so", O_RDONLY) = 3""")]
    [DataRow("""10 openat(AT_FDCWD, "/app/libgreet.so.1", O_RDONLY|O_CLOEXEC) = 3""")]
    public void FlagsAppLibraryOpenedFromDisk(string line) =>
        Assert.HasCount(1, Check(line), $"Not flagged: {line}");

    [TestMethod]
    [DataRow("""10 openat(AT_FDCWD, "/proc/self/fd/5", O_RDONLY|O_CLOEXEC) = 6""")]
    [DataRow("""10 openat(AT_FDCWD, "/proc/self/fd/libgreetdep.so", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)""")]
    [DataRow("""10 openat(AT_FDCWD, "/lib/x86_64-linux-gnu/libicuuc.so.72", O_RDONLY|O_CLOEXEC) = 3""")]
    [DataRow("""10 openat(AT_FDCWD, "/app/greeting.txt", O_RDONLY) = 3""")]
    [DataRow("""10 openat(AT_FDCWD, "/app/libgreeter.so", O_RDONLY) = 3""")]
    public void AllowsOtherFiles(string line) =>
        Assert.IsEmpty(Check(line), $"Wrongly flagged: {line}");

    [TestMethod]
    public void WithoutAppLibrariesNothingChanges() =>
        Assert.IsEmpty(FileAccessTrace.FindViolations(["""10 openat(AT_FDCWD, "/app/libgreet.so", O_RDONLY|O_CLOEXEC) = 3"""]));

    private static IReadOnlyList<string> Check(string line) => FileAccessTrace.FindViolations([line], "/tmp/checkout", AppLibraries);
}

using System.Text.RegularExpressions;
using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// Issue 6: an oxidized app starts child processes as any .NET app does, and they inherit none of the host's file
/// descriptors: the executable it maps, the memfds holding the runtime's native libraries and served packed files are
/// all close-on-exec. tests/Samples/Robust `children` starts /bin/echo, /bin/ls -l /proc/self/fd and itself.
/// </summary>
[TestClass]
public sealed partial class ChildProcessTests
{
    [TestMethod]
    public void ChildrenWorkAndInheritNoDescriptorOfTheHost()
    {
        string executable = PublishedRobust.ExecutablePath;
        // Started with only 0, 1 and 2 open, so that anything else a child holds came from the oxidized app.
        const string closeInheritedDescriptors =
            "for fd in /proc/$$/fd/*; do n=${fd##*/}; if [ \"$n\" -gt 2 ]; then eval \"exec $n<&-\"; fi; done; exec \"$@\"";

        ProcessResult run = ProcessRunner.Run(
            "bash", ["-c", closeInheritedDescriptors, "bash", executable, "children"], workingDirectory: "/", standardInput: "",
            environment: new Dictionary<string, string> { ["PATH"] = ReadOnlyDirectory.MinimalPath }, timeout: TimeSpan.FromMinutes(2));

        Assert.AreEqual(0, run.ExitCode, $"The app failed:{run}");
        var report = new AppReport(run.StandardOutput);
        Assert.AreEqual("child says hi", report["echo"], run.ToString());
        Assert.AreEqual("0", report["echo exit code"], run.ToString());

        // The oxidized app itself holds its executable open (so there is something that could leak); libcoreclr.so is
        // mapped from it, not copied into a memfd (docs/how-it-works.md, "Mapped native libraries")...
        IReadOnlyDictionary<int, string> own = report.Descriptors("own fd");
        Assert.IsFalse(own.Values.Any(target => target.StartsWith("/memfd:libcoreclr.so", StringComparison.Ordinal)), $"libcoreclr.so was copied into a memfd:{run}");
        Assert.IsTrue(own.Values.Contains(executable), $"the app does not hold its executable open:{run}");
        // ...and ls, its child, has exactly 0, 1, 2 and the descriptor it opened itself to read /proc/self/fd.
        Assert.AreEqual("0", report["ls exit code"], run.ToString());
        IReadOnlyDictionary<int, string> child = report.Descriptors("child fd");
        CollectionAssert.IsSubsetOf(new[] { 0, 1, 2 }, child.Keys.ToArray(), run.ToString());
        string[] inherited = child.Where(fd => fd.Key > 2 && !ProcFdFolder().IsMatch(fd.Value)).Select(fd => $"{fd.Key} -> {fd.Value}").ToArray();
        Assert.IsEmpty(inherited, $"the child inherited descriptors of the oxidized app: {string.Join(", ", inherited)}{run}");
        Assert.IsLessThanOrEqualTo(4, child.Count, run.ToString());

        // The app can start itself: a second oxidized process, with its own arguments and stdin.
        Assert.AreEqual("0", report["self exit code"], run.ToString());
        var self = new AppReport(string.Join('\n', report.All("self")));
        Assert.AreEqual(executable, self["process"], run.ToString());
        Assert.AreEqual("1", self["args"], run.ToString());
        Assert.AreEqual("parent's line", self["stdin"], run.ToString());
    }

    [GeneratedRegex(@"^/proc/\d+/fd$")]
    private static partial Regex ProcFdFolder();
}

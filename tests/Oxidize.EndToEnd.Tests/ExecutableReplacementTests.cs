using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// Issue 13, point 1: operators redeploy by replacing the executable's path under running instances (`mv` of a new
/// build over it, a `dotnet publish` into the same folder, or deleting it). Every later read of the payload, the
/// runtime's own mappings of assemblies and Oxidize.Resources' included, must go to the file the process was started
/// from. Each test starts tests/Samples/RealApp with `demo --wait-for GO`, so that it loads nothing the checks need
/// until the path was replaced: then a new assembly (Microsoft.Data.Sqlite), packed native libraries (e_sqlite3,
/// libgreet), a satellite assembly and a packed file (through File and Oxidize.Resources) load from the old file.
/// </summary>
[TestClass]
public sealed class ExecutableReplacementTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    private static string Scratch(string test)
    {
        string folder = Path.Combine(RepoPaths.EndToEndFolder, nameof(ExecutableReplacementTests), test);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
        Directory.CreateDirectory(folder);
        return folder;
    }

    [TestMethod]
    public void RunningInstanceSurvivesANewBuildMovedOverItsPath()
    {
        string folder = Scratch(nameof(RunningInstanceSurvivesANewBuildMovedOverItsPath));
        string executable = Path.Combine(folder, "RealApp");
        File.Copy(PublishedRealApp.ExecutablePath, executable);

        using BackgroundProcess app = StartWaiting(executable, folder);
        // A different oxidized executable, laid out differently: `cp new/App t && mv t App`.
        string incoming = Path.Combine(folder, "RealApp.new");
        File.Copy(PublishedHello.ExecutablePath, incoming);
        ProcessResult move = ProcessRunner.Run("mv", [incoming, executable], timeout: TimeSpan.FromSeconds(30));
        Assert.AreEqual(0, move.ExitCode, move.ToString());

        AssertEveryCheckPassesAfterGo(app, folder);
        ProcessResult newBuild = ProcessRunner.Run(executable, [], timeout: RunTimeout);
        Assert.AreEqual(0, newBuild.ExitCode, $"The executable moved over the path does not run:{newBuild}");
    }

    [TestMethod]
    public void RunningInstanceSurvivesItsExecutableBeingDeleted()
    {
        string folder = Scratch(nameof(RunningInstanceSurvivesItsExecutableBeingDeleted));
        string executable = Path.Combine(folder, "RealApp");
        File.Copy(PublishedRealApp.ExecutablePath, executable);

        using BackgroundProcess app = StartWaiting(executable, folder);
        File.Delete(executable);

        AssertEveryCheckPassesAfterGo(app, folder);
    }

    [TestMethod]
    public void RunningInstanceSurvivesAPublishIntoItsFolder()
    {
        SampleProject sample = PublishedRealApp.Create(nameof(ExecutableReplacementTests) + "Publish");
        ProcessResult first = sample.Publish();
        Assert.AreEqual(0, first.ExitCode, $"The first publish failed:{first}");
        string go = Scratch(nameof(RunningInstanceSurvivesAPublishIntoItsFolder));

        using BackgroundProcess app = StartWaiting(sample.ExecutablePath, go);
        byte[] before = File.ReadAllBytes(sample.ExecutablePath);
        // Compression changes the layout of every entry: the running app's offsets point elsewhere in the new file.
        ProcessResult second = sample.Publish("-p:OxidizeCompression=lz4");
        Assert.AreEqual(0, second.ExitCode, $"The second publish failed:{second}");
        Assert.IsFalse(before.AsSpan().SequenceEqual(File.ReadAllBytes(sample.ExecutablePath)),
            $"The second publish did not replace the executable:{second}");

        AssertEveryCheckPassesAfterGo(app, go);
    }

    /// <summary>Starts `RealApp demo --wait-for GO` and returns once it waits (the runtime and the app are running).</summary>
    private static BackgroundProcess StartWaiting(string executable, string folder)
    {
        string go = Path.Combine(folder, "go");
        File.Delete(go);
        BackgroundProcess app = BackgroundProcess.Start(
            executable, ["demo", "--name", "Redeploy", "--directories", "--wait-for", go], folder, environment: null);
        DateTime deadline = DateTime.UtcNow + RunTimeout;
        while (!app.Output.Contains("waiting for " + go, StringComparison.Ordinal))
        {
            Assert.IsFalse(app.HasExited, $"The app ended before it waited:{app}");
            Assert.IsLessThan(deadline, DateTime.UtcNow, $"The app did not start within {RunTimeout}:{app}");
            Thread.Sleep(50);
        }
        return app;
    }

    private static void AssertEveryCheckPassesAfterGo(BackgroundProcess app, string folder)
    {
        File.WriteAllText(Path.Combine(folder, "go"), "");
        Assert.IsTrue(app.WaitForExit(RunTimeout), $"The app did not finish:{app}");
        string output = app.Output;
        Assert.AreEqual(0, app.ExitCode, $"The running app failed once its path was replaced:{app}");
        foreach (string line in new[]
                 {
                     "sqlite: 3 rows, total 60, quantity>=15: banana=20 cherry=30",
                     "native DllImport(greet): Hello, Redeploy! (42 from libgreetdep)",
                     "satellite fr: Bonjour",
                     "resources text: Greetings from a content file, read through Oxidize.Resources.",
                     "file api text: Greetings from a content file, read through Oxidize.Resources.",
                     "directory files data: greeting.txt",
                     "checks failed: 0",
                 })
        {
            Assert.Contains(line, output, app.ToString());
        }
    }
}

using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// The README's first command on a new user's machine: the repository's tracked files in a new folder (no artifacts/,
/// no bin/ or obj/), an empty NuGet package folder and HTTP cache, and `./build.sh demo`, which builds the host and the
/// packages and publishes and runs the Hello sample. A feed the build has not made yet, a package the registry does
/// not serve or a lock file out of date fails here instead of on a user's machine.
/// </summary>
[TestClass]
public sealed class FreshCloneTests
{
    [TestMethod]
    public void BuildShDemoWorksInAFreshCopyWithAnEmptyPackageFolder()
    {
        string scratch = Path.Combine(RepoPaths.EndToEndFolder, nameof(FreshCloneTests));
        if (Directory.Exists(scratch))
            Directory.Delete(scratch, recursive: true);
        string clone = Path.Combine(scratch, "repo");
        CopyTrackedFiles(RepoPaths.Root, clone);

        Dictionary<string, string> environment = SampleProject.DotnetEnvironment();
        environment["NUGET_PACKAGES"] = Path.Combine(scratch, "empty-nuget", "packages");
        environment["NUGET_HTTP_CACHE_PATH"] = Path.Combine(scratch, "empty-nuget", "http-cache");
        environment.Remove("OXIDIZE_REPO_ROOT");
        ProcessResult demo = ProcessRunner.Run(Path.Combine(clone, "build.sh"), ["demo"], workingDirectory: clone,
            environment: environment, timeout: TimeSpan.FromMinutes(20));

        Assert.AreEqual(0, demo.ExitCode, $"./build.sh demo failed in a fresh copy:{demo}");
        Assert.Contains("Hello from an oxidized app!", demo.StandardOutput, $"the demo did not run the one file:{demo}");
        Assert.IsTrue(File.Exists(Path.Combine(clone, "artifacts", "packages", $"Oxidize.Sdk.{RepoPaths.OxidizeVersion}.nupkg")), demo.ToString());
        Assert.IsTrue(File.Exists(Path.Combine(clone, "artifacts", "packages", $"Oxidize.Tool.{RepoPaths.OxidizeVersion}.nupkg")), demo.ToString());
        // The clone's own package folder was used, not this machine's caches.
        Assert.IsTrue(Directory.Exists(Path.Combine(environment["NUGET_PACKAGES"], "mono.cecil")), "restore did not use the empty package folder");
        Directory.Delete(scratch, recursive: true);
    }

    /// <summary>What `git clone` of the working tree would hold: every file git tracks (with uncommitted edits), and
    /// untracked files that are not ignored, so a developer's new file is tested before it is committed.</summary>
    private static void CopyTrackedFiles(string repository, string destination)
    {
        ProcessResult files = ProcessRunner.Run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            workingDirectory: repository, timeout: TimeSpan.FromMinutes(1));
        Assert.AreEqual(0, files.ExitCode, $"git ls-files failed:{files}");
        foreach (string relative in files.StandardOutput.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            string source = Path.Combine(repository, relative);
            if (!File.Exists(source))
                continue; // deleted in the working tree, not yet committed
            string target = Path.Combine(destination, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target);
            File.SetUnixFileMode(target, File.GetUnixFileMode(source));
        }
    }
}

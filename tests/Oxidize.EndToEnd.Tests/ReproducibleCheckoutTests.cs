using Oxidize.Tests.Shared;
using System.Collections;
using System.Security.Cryptography;
using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// Issue 6: the same commit published from two checkouts at different paths gives byte-identical executables, and
/// editing one source file afterwards rebuilds the executable (DeterministicPublishTests covers two clean publishes
/// in one place, IncrementalPublishTests the no-op second publish).
/// The compiler writes source paths into the embedded PDB; `ContinuousIntegrationBuild=true` maps them to "/_/"
/// through the git repository root that SourceLink finds, so each checkout is a git repository holding the same
/// commit, as two clones of one revision are. (Without git, `-p:PathMap=$(MSBuildProjectDirectory)/=/_/` does the same.)
/// </summary>
[TestClass]
public sealed class ReproducibleCheckoutTests
{
    [TestMethod]
    public void TwoCheckoutPathsGiveIdenticalExecutablesAndAnEditedSourceRebuilds()
    {
        RequireGit();
        // Different lengths on purpose: a path that leaked into the output would move every later byte.
        SampleProject[] checkouts =
        [
            SampleProject.Create("Hello", Path.Combine(nameof(ReproducibleCheckoutTests), "a", "repo")),
            SampleProject.Create("Hello", Path.Combine(nameof(ReproducibleCheckoutTests), "second-checkout", "repo")),
        ];
        foreach (SampleProject checkout in checkouts)
        {
            CommitEverything(checkout.ScratchDirectory);
            ProcessResult publish = checkout.Publish("-p:ContinuousIntegrationBuild=true");
            Assert.AreEqual(0, publish.ExitCode, $"Publishing {checkout.ScratchDirectory} failed:{publish}");
        }

        string compiled = Sha256(CompiledAssembly(checkouts[0])) == Sha256(CompiledAssembly(checkouts[1]))
            ? "the compiled Hello.dll files are identical, so the difference comes from packing"
            : "the compiled Hello.dll files already differ (a source path the compiler embedded?)";
        Assert.AreEqual(Sha256(checkouts[0].ExecutablePath), Sha256(checkouts[1].ExecutablePath),
            $"the executables published from {checkouts[0].ScratchDirectory} and {checkouts[1].ScratchDirectory} differ; {compiled}.");

        // Incremental: one edited source file makes the next publish pack again and the app show the change.
        SampleProject edited = checkouts[0];
        string before = Sha256(edited.ExecutablePath);
        DateTime firstWrite = File.GetLastWriteTimeUtc(edited.ExecutablePath);
        string program = Path.Combine(edited.ProjectDirectory, "Program.cs");
        const string greeting = "Console.WriteLine(\"Hello from an oxidized app!\");";
        string source = File.ReadAllText(program);
        Assert.Contains(greeting, source, "the Hello sample changed: update this test");
        File.WriteAllText(program, source.Replace(greeting, greeting + "\nConsole.WriteLine(\"edited after the first publish\");", StringComparison.Ordinal));

        ProcessResult republish = edited.Publish("-p:ContinuousIntegrationBuild=true", "-v:n");

        Assert.AreEqual(0, republish.ExitCode, $"The publish after the edit failed:{republish}");
        Assert.Contains("Oxidize: packed", republish.Output, $"the publish after an edit did not pack again:{republish}");
        Assert.AreNotEqual(before, Sha256(edited.ExecutablePath), "the executable did not change after a source edit");
        Assert.AreNotEqual(firstWrite, File.GetLastWriteTimeUtc(edited.ExecutablePath), "the executable was not rewritten");
        ProcessResult run = HelloRun.AssertRuns(edited.ExecutablePath);
        Assert.Contains("edited after the first publish", run.StandardOutput, $"the executable does not run the edited code:{run}");
    }

    private static void RequireGit()
    {
        try
        {
            ProcessResult version = ProcessRunner.Run("git", ["--version"], timeout: TimeSpan.FromSeconds(30));
            if (version.ExitCode == 0)
            {
                return;
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
        Prerequisite.Missing("git, to make the two checkouts git repositories");
    }

    /// <summary>`git init` + one commit of everything with a fixed author and date, so both checkouts hold the same commit
    /// (its id is part of the assembly's informational version).</summary>
    private static void CommitEverything(string repository)
    {
        var environment = new Dictionary<string, string>();
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            environment[(string)entry.Key] = (string?)entry.Value ?? "";
        }
        environment["GIT_AUTHOR_DATE"] = environment["GIT_COMMITTER_DATE"] = "2026-01-01T00:00:00Z";
        environment["GIT_CONFIG_NOSYSTEM"] = "1";
        environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        foreach (string[] command in new[]
                 {
                     new[] { "init", "-q", "-b", "main", "." },
                     new[] { "add", "-A" },
                     new[] { "-c", "user.name=Oxidize tests", "-c", "user.email=tests@oxidize.invalid", "commit", "-q", "-m", "sample" },
                 })
        {
            ProcessResult git = ProcessRunner.Run("git", command, workingDirectory: repository, environment: environment, timeout: TimeSpan.FromMinutes(1));
            Assert.AreEqual(0, git.ExitCode, $"git failed:{git}");
        }
    }

    private static string CompiledAssembly(SampleProject sample) =>
        Path.Combine(sample.ProjectDirectory, "obj", "Release", "net10.0", "linux-x64", sample.Name + ".dll");

    private static string Sha256(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }
}

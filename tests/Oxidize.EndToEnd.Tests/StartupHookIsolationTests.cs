using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// DOTNET_STARTUP_HOOKS can inject code into any .NET app; an oxidized app ignores it unless it was
/// published with OxidizeAllowStartupHooks=true.
/// </summary>
[TestClass]
public sealed class StartupHookIsolationTests
{
    private const string HookOutput = "startup hook ran";

    private static string BuildHook()
    {
        SampleProject hook = SampleProject.Create("StartupHook", Path.Combine(nameof(StartupHookIsolationTests), "hook"));
        ProcessResult build = hook.Build("-c", "Release", "-o", Path.Combine(hook.ScratchDirectory, "out"));
        Assert.AreEqual(0, build.ExitCode, $"Building the startup hook failed:{build}");
        return Path.Combine(hook.ScratchDirectory, "out", "StartupHook.dll");
    }

    private static ProcessResult RunWithHook(string executable, string hook) =>
        ProcessRunner.Run(executable, ["hooked"], standardInput: "",
            environment: new Dictionary<string, string> { ["PATH"] = ReadOnlyDirectory.MinimalPath, ["DOTNET_STARTUP_HOOKS"] = hook },
            timeout: TimeSpan.FromMinutes(1));

    [TestMethod]
    public void StartupHookFromTheEnvironmentRunsOnlyWhenOptedIn()
    {
        string hook = BuildHook();

        ProcessResult isolated = RunWithHook(PublishedHello.ExecutablePath, hook);
        Assert.AreEqual(0, isolated.ExitCode, isolated.ToString());
        Assert.Contains("args: [hooked]", isolated.StandardOutput, isolated.ToString());
        Assert.DoesNotContain(HookOutput, isolated.StandardOutput, "the default build must ignore DOTNET_STARTUP_HOOKS");

        SampleProject optedIn = SampleProject.Create("Hello", Path.Combine(nameof(StartupHookIsolationTests), "opted-in"));
        ProcessResult publish = optedIn.Publish("-p:OxidizeAllowStartupHooks=true");
        Assert.AreEqual(0, publish.ExitCode, $"The publish failed:{publish}");
        ProcessResult hooked = RunWithHook(optedIn.ExecutablePath, hook);
        Assert.AreEqual(0, hooked.ExitCode, hooked.ToString());
        Assert.Contains(HookOutput, hooked.StandardOutput, "with OxidizeAllowStartupHooks=true the hook must run");
    }
}

using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// Microsoft's plugin pattern (issue 21): tests/Samples/PluginHost loads tests/Samples/GreeterPlugin, a plugin with
/// NuGet dependencies of its own (Microsoft.Data.Sqlite with its RID-specific native SQLite, System.CommandLine with
/// its French satellite assembly), through a collectible AssemblyLoadContext and AssemblyDependencyResolver, whose
/// hostpolicy calls the host answers itself. Oxidized, with the plugin packed in the executable and with it on disk
/// next to it (the OxidizeFilesystem escape hatch), the app prints exactly what the normal build prints.
/// </summary>
[TestClass]
public sealed class PluginHostTests
{
    [TestMethod]
    public void APluginPackedOrOnDiskResolvesAndRunsAsInTheNormalBuild()
    {
        SampleProject packed = CreateWithBuiltPlugin(nameof(APluginPackedOrOnDiskResolvesAndRunsAsInTheNormalBuild) + "Packed");

        ProcessResult build = packed.Build();
        Assert.AreEqual(0, build.ExitCode, $"dotnet build of PluginHost failed:{build}");
        ProcessResult normal = ProcessRunner.Run("dotnet", [Path.Combine(packed.ProjectDirectory, "bin", "Debug", "net10.0", "PluginHost.dll")],
            workingDirectory: "/", timeout: TimeSpan.FromMinutes(1));
        Assert.AreEqual(0, normal.ExitCode, normal.ToString());
        AssertPluginWorked(new AppReport(normal.StandardOutput), normal);

        ProcessResult publish = packed.Publish();
        Assert.AreEqual(0, publish.ExitCode, $"The publish failed:{publish}");
        Assert.IsFalse(Directory.Exists(Path.Combine(packed.PublishDirectory, "plugins")), "the plugin should be packed, not copied");
        ProcessResult oxidized = ProcessRunner.Run(packed.ExecutablePath, [], workingDirectory: "/", timeout: TimeSpan.FromMinutes(1));
        Assert.AreEqual(0, oxidized.ExitCode, oxidized.ToString());
        Assert.AreEqual(normal.StandardOutput, oxidized.StandardOutput, $"packed plugin:{oxidized}{normal}");

        SampleProject onDisk = CreateWithBuiltPlugin(nameof(APluginPackedOrOnDiskResolvesAndRunsAsInTheNormalBuild) + "OnDisk");
        publish = onDisk.Publish("-p:PluginsOnDisk=true");
        Assert.AreEqual(0, publish.ExitCode, $"The publish failed:{publish}");
        Assert.IsTrue(File.Exists(Path.Combine(onDisk.PublishDirectory, "plugins", "Greeter", "GreeterPlugin.deps.json")), publish.ToString());
        Assert.IsTrue(File.Exists(Path.Combine(onDisk.PublishDirectory, "plugins", "Greeter", "runtimes", "linux-x64", "native", "libe_sqlite3.so")),
            publish.ToString());
        oxidized = ProcessRunner.Run(onDisk.ExecutablePath, [], workingDirectory: "/", timeout: TimeSpan.FromMinutes(1));
        Assert.AreEqual(0, oxidized.ExitCode, oxidized.ToString());
        Assert.AreEqual(normal.StandardOutput, oxidized.StandardOutput, $"plugin on disk:{oxidized}{normal}");
    }

    private static SampleProject CreateWithBuiltPlugin(string scratchName)
    {
        SampleProject sample = SampleProject.Create("PluginHost", scratchName);
        string plugin = sample.AddSample("GreeterPlugin");
        ProcessResult build = ProcessRunner.Run("dotnet", ["build", "-c", "Release", "-nologo", "-nodeReuse:false"],
            workingDirectory: plugin, environment: SampleProject.DotnetEnvironment(), timeout: TimeSpan.FromMinutes(10));
        Assert.AreEqual(0, build.ExitCode, $"dotnet build of GreeterPlugin failed:{build}");
        return sample;
    }

    /// <summary>What the normal build prints, checked on its own, so a broken sample cannot pass by matching itself.</summary>
    private static void AssertPluginWorked(AppReport report, ProcessResult run)
    {
        Assert.AreEqual("plugins/Greeter/System.CommandLine.dll", report["resolve System.CommandLine"], run.ToString());
        Assert.AreEqual("plugins/Greeter/fr/System.CommandLine.resources.dll", report["resolve System.CommandLine.resources fr"], run.ToString());
        Assert.AreEqual("<none>", report["resolve absent assembly"], run.ToString());
        Assert.AreEqual("plugins/Greeter/runtimes/linux-x64/native/libe_sqlite3.so", report["resolve native e_sqlite3"], run.ToString());
        Assert.AreEqual("True", report["native e_sqlite3 loaded by path, exports sqlite3_libversion"], run.ToString());
        Assert.AreEqual("plugins/Greeter/Microsoft.Data.Sqlite.dll", report["without deps.json, resolve Microsoft.Data.Sqlite"], run.ToString());
        Assert.AreEqual("<none>", report["without deps.json, resolve native e_sqlite3"], run.ToString());
        Assert.AreEqual("InvalidOperationException, code 0x80008092: True", report["missing component"], run.ToString());
        Assert.AreEqual("Greeter", report["plugin context"], run.ToString());
        Assert.AreEqual("Greeter", report["sqlite assembly context"], run.ToString());
        Assert.AreEqual("version known True, 6 * 7 = 42", report["sqlite"], run.ToString());
        StringAssert.Contains(report["parse error (fr)"], "--no-such-option", run.ToString());
        Assert.AreEqual("True", report["greeting plugin unloaded"], run.ToString());
    }
}

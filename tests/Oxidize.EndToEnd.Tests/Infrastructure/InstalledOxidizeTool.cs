namespace Oxidize.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The dotnet oxidize tool installed the way a user installs it, from the freshly built package:
/// `dotnet tool install --tool-path artifacts/e2e/InstalledOxidizeTool/tools --add-source artifacts/packages Oxidize.Tool`,
/// once per test run, with a NuGet configuration that knows only artifacts/packages.
/// </summary>
public static class InstalledOxidizeTool
{
    private static readonly Lazy<string> Installed = new(Install);

    /// <summary>The installed dotnet-oxidize command.</summary>
    public static string Path => Installed.Value;

    public static ProcessResult Run(params string[] arguments) =>
        ProcessRunner.Run(Path, arguments, workingDirectory: RepoPaths.EndToEndFolder, environment: SampleProject.DotnetEnvironment(), timeout: TimeSpan.FromMinutes(2));

    private static string Install()
    {
        string package = System.IO.Path.Combine(RepoPaths.PackagesFolder, $"Oxidize.Tool.{RepoPaths.OxidizeVersion}.nupkg");
        Assert.IsTrue(File.Exists(package), $"{package} does not exist: run ./build.sh first (it packs the tool).");
        string scratch = System.IO.Path.Combine(RepoPaths.EndToEndFolder, nameof(InstalledOxidizeTool));
        if (Directory.Exists(scratch))
            Directory.Delete(scratch, recursive: true);
        Directory.CreateDirectory(scratch);
        string config = System.IO.Path.Combine(scratch, "NuGet.config");
        File.WriteAllText(config, """
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
              </packageSources>
            </configuration>
            """);
        // A rebuilt package keeps its version: never install a copy an earlier run extracted.
        string extracted = System.IO.Path.Combine(RepoPaths.NuGetPackagesFolder, "oxidize.tool");
        if (Directory.Exists(extracted))
            Directory.Delete(extracted, recursive: true);
        string tools = System.IO.Path.Combine(scratch, "tools");
        ProcessResult install = ProcessRunner.Run("dotnet",
            ["tool", "install", "--tool-path", tools, "--configfile", config, "--add-source", RepoPaths.PackagesFolder,
                "--version", RepoPaths.OxidizeVersion, "Oxidize.Tool"],
            workingDirectory: scratch, environment: SampleProject.DotnetEnvironment(), timeout: TimeSpan.FromMinutes(5));
        Assert.AreEqual(0, install.ExitCode, $"dotnet tool install failed:{install}");
        string command = System.IO.Path.Combine(tools, "dotnet-oxidize");
        Assert.IsTrue(File.Exists(command), $"dotnet tool install did not create {command}:{install}");
        return command;
    }
}

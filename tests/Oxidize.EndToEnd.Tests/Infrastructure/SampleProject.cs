using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Oxidize.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A private copy of tests/Samples/&lt;name&gt; that references the freshly built Oxidize.Sdk package, with
/// `dotnet publish` / `dotnet build` run on it the way a user would.
/// Layout: artifacts/e2e/&lt;scratch&gt;/{NuGet.config, Directory.Build.*, &lt;name&gt;/, publish/}.
/// </summary>
public sealed partial class SampleProject
{
    private static readonly TimeSpan DotnetTimeout = TimeSpan.FromMinutes(10);

    private SampleProject(string name, string scratchDirectory)
    {
        Name = name;
        ScratchDirectory = scratchDirectory;
    }

    public string Name { get; }

    public string ScratchDirectory { get; }

    public string ProjectDirectory => Path.Combine(ScratchDirectory, Name);

    public string ProjectFile => Path.Combine(ProjectDirectory, Name + ".csproj");

    public string PublishDirectory => Path.Combine(ScratchDirectory, "publish");

    /// <summary>Where the oxidized executable lands (AssemblyName = project name in the samples).</summary>
    public string ExecutablePath => Path.Combine(PublishDirectory, Name);

    /// <summary>Where a win-x64 publish puts the executable: $(PublishDir)$(AssemblyName).exe.</summary>
    public string WindowsExecutablePath => Path.Combine(PublishDirectory, Name + ".exe");

    /// <param name="scratchName">Folder under artifacts/e2e, usually the test name; emptied first.</param>
    public static SampleProject Create(string sampleName, string scratchName)
    {
        string scratch = Path.Combine(RepoPaths.EndToEndFolder, scratchName);
        if (Directory.Exists(scratch))
        {
            Directory.Delete(scratch, recursive: true);
        }
        var sample = new SampleProject(sampleName, scratch);
        CopyDirectory(Path.Combine(RepoPaths.SamplesFolder, sampleName), sample.ProjectDirectory);
        sample.UseBuiltOxidizeSdk();
        sample.TrustLockedPackagesBuiltIn(RepoPaths.PackagesFolder);
        WriteIsolationFiles(scratch);
        return sample;
    }

    /// <summary>
    /// Copies another sample beside this one (&lt;scratch&gt;/&lt;name&gt;/), for samples that use each other by relative
    /// path, such as a plugin host and its plugin; returns its folder.
    /// </summary>
    public string AddSample(string sampleName)
    {
        string folder = Path.Combine(ScratchDirectory, sampleName);
        CopyDirectory(Path.Combine(RepoPaths.SamplesFolder, sampleName), folder);
        return folder;
    }

    /// <summary>
    /// A committed packages.lock.json pins every package from the registry, with its content hash. Packages this
    /// repository builds itself (Oxidize.Resources, the audit's fixture packages) are not reproducible byte for byte
    /// (NuGet's pack writes timestamps), so their lock entries get the hash of the package just built in
    /// <paramref name="feed"/>; every other entry is left as committed, and restore checks it.
    /// </summary>
    public void TrustLockedPackagesBuiltIn(string feed)
    {
        string lockFile = Path.Combine(ProjectDirectory, "packages.lock.json");
        if (!File.Exists(lockFile))
        {
            return;
        }
        JsonNode root = JsonNode.Parse(File.ReadAllText(lockFile))
            ?? throw new InvalidOperationException($"{lockFile} is empty.");
        foreach ((string _, JsonNode? target) in root["dependencies"]!.AsObject())
        {
            foreach ((string id, JsonNode? package) in target!.AsObject())
            {
                string built = Path.Combine(feed, $"{id}.{package!["resolved"]}.nupkg");
                if (File.Exists(built))
                {
                    package["contentHash"] = Convert.ToBase64String(SHA512.HashData(File.ReadAllBytes(built)));
                }
            }
        }
        File.WriteAllText(lockFile, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Replaces text in the project file, e.g. to retarget it; fails if the text is not there.</summary>
    public void EditProjectFile(string oldText, string newText)
    {
        string project = File.ReadAllText(ProjectFile);
        if (!project.Contains(oldText, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{ProjectFile} does not contain '{oldText}'.");
        }
        File.WriteAllText(ProjectFile, project.Replace(oldText, newText, StringComparison.Ordinal));
    }

    /// <summary>`dotnet publish -r linux-x64 -p:Oxidize=true -o publish/` plus <paramref name="extraArguments"/>.</summary>
    public ProcessResult Publish(params string[] extraArguments) => PublishForRuntime("linux-x64", extraArguments);

    /// <summary>Like <see cref="Publish"/> with another -r, for the unsupported-RID checks.</summary>
    public ProcessResult PublishForRuntime(string runtimeIdentifier, params string[] extraArguments) =>
        RunDotnet(["publish", "-r", runtimeIdentifier, "-p:Oxidize=true", "-o", PublishDirectory, .. extraArguments]);

    /// <summary>A plain self-contained publish, Oxidize off: `dotnet publish -r RID --self-contained -p:Oxidize=false -o publish/`
    /// (the runtime's own folder of files, the baseline an oxidized publish is compared with).</summary>
    public ProcessResult PublishSelfContainedWithoutOxidize(string runtimeIdentifier, params string[] extraArguments) =>
        RunDotnet(["publish", "-r", runtimeIdentifier, "--self-contained", "-p:Oxidize=false", "-o", PublishDirectory, .. extraArguments]);

    /// <summary>`dotnet publish -p:Oxidize=true -o publish/` with no -r, as the README's profile-less form.</summary>
    public ProcessResult PublishWithoutRuntime(params string[] extraArguments) =>
        RunDotnet(["publish", "-p:Oxidize=true", "-o", PublishDirectory, .. extraArguments]);

    /// <summary><see cref="Publish"/> under GNU time's -v, whose report (peak RSS of dotnet and every child it waited
    /// for) ends stderr.</summary>
    public ProcessResult PublishUnderGnuTime(params string[] extraArguments) =>
        ProcessRunner.Run(
            GnuTime,
            ["-v", "dotnet", "publish", "-r", "linux-x64", "-p:Oxidize=true", "-o", PublishDirectory, .. extraArguments, "-nologo", "-nodeReuse:false"],
            workingDirectory: ProjectDirectory,
            environment: DotnetEnvironment(),
            timeout: DotnetTimeout);

    /// <summary>GNU time (Debian package time, installed by eng/build.sh).</summary>
    public const string GnuTime = "/usr/bin/time";

    /// <summary>A plain `dotnet build`, without Oxidize.</summary>
    public ProcessResult Build(params string[] extraArguments) => RunDotnet(["build", .. extraArguments]);

    private ProcessResult RunDotnet(string[] arguments) =>
        ProcessRunner.Run(
            "dotnet",
            [.. arguments, "-nologo", "-nodeReuse:false"],
            workingDirectory: ProjectDirectory,
            environment: DotnetEnvironment(),
            timeout: DotnetTimeout);

    /// <summary>The environment every nested `dotnet` of the tests runs with: the user's, minus MSBuild's variables, plus our NuGet folder and no build servers.</summary>
    public static Dictionary<string, string> DotnetEnvironment()
    {
        var environment = new Dictionary<string, string>();
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var name = (string)entry.Key;
            // `dotnet test` leaves MSBuild's own variables (MSBuildSDKsPath, MSBUILD_EXE_PATH, ...) in our
            // environment; a user's shell does not have them, so the nested dotnet must find its SDK itself.
            if (!name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase))
            {
                environment[name] = (string?)entry.Value ?? "";
            }
        }
        environment["NUGET_PACKAGES"] = RepoPaths.NuGetPackagesFolder;
        // No long-lived build servers: they would keep the old task assembly loaded across tests and
        // outlive the test run.
        environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        environment["MSBUILDDISABLENODEREUSE"] = "1";
        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_NOLOGO"] = "1";
        return environment;
    }

    private void UseBuiltOxidizeSdk()
    {
        string project = File.ReadAllText(ProjectFile);
        if (!OxidizeSdkReference().IsMatch(project))
        {
            throw new InvalidOperationException($"{ProjectFile} has no <Sdk Name=\"Oxidize.Sdk\" Version=\"...\" /> to point at the built package.");
        }
        // (Oxidize.Resources, which some samples reference like any package, is pinned in Directory.Packages.props.)
        project = OxidizeSdkReference().Replace(project, $"${{prefix}}{RepoPaths.OxidizeVersion}\"");
        File.WriteAllText(ProjectFile, project);
    }

    private static void WriteIsolationFiles(string scratch)
    {
        // Only nuget.org and the freshly built package, whatever the machine's NuGet configuration says.
        File.WriteAllText(Path.Combine(scratch, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
                <add key="oxidize-local" value="{RepoPaths.PackagesFolder}" />
              </packageSources>
            </configuration>
            """);
        // The scratch folder lives inside the repository; stop MSBuild from importing the repository's own
        // Directory.Build.* (TreatWarningsAsErrors, Version, ...), so the sample builds like a user's project.
        // A sample with a committed lock file always restores in locked mode: the registry serving something
        // else fails restore (NU1004/NU1403) instead of changing what the test sees.
        File.WriteAllText(Path.Combine(scratch, "Directory.Build.props"), """
            <Project>
              <PropertyGroup>
                <RestoreLockedMode Condition="Exists('$(MSBuildProjectDirectory)/packages.lock.json')">true</RestoreLockedMode>
              </PropertyGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(scratch, "Directory.Build.targets"), "<Project />\n");
        // Package versions come from the repository's one list of pins, as for its own projects.
        File.WriteAllText(Path.Combine(scratch, "Directory.Packages.props"), $"""
            <Project>
              <Import Project="{RepoPaths.PackagePinsFile}" />
            </Project>
            """);
    }

    private static void CopyDirectory(string source, string destination)
    {
        if (!Directory.Exists(source))
        {
            throw new DirectoryNotFoundException($"Sample {source} does not exist.");
        }
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(source, file);
            // Leftovers of someone building the sample in place are not part of the sample.
            if (relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal))
            {
                continue;
            }
            string target = Path.Combine(destination, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    [GeneratedRegex(@"(?<prefix><Sdk\s+Name=""Oxidize\.Sdk""\s+Version="")[^""]*""")]
    private static partial Regex OxidizeSdkReference();
}

using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Build.Evaluation;
using Microsoft.Build.Execution;
using Microsoft.Build.Framework;
using Microsoft.Build.Logging;
using Oxidize.Tests.Shared;

namespace Oxidize.Sdk.Tests;

/// <summary>What one in-process build of some targets logged (MSBuild's console output at normal verbosity).</summary>
public sealed partial record TargetsResult(bool Succeeded, string Output)
{
    [GeneratedRegex(@": error (?<code>[A-Z]+[0-9]+): (?<message>.*?)(?: \[[^\]]*\])?$", RegexOptions.Multiline)]
    private static partial Regex ErrorLine();

    /// <summary>Each error once (the console logger repeats them in its summary).</summary>
    public IReadOnlyList<(string Code, string Message)> Errors =>
        [.. ErrorLine().Matches(Output).Select(match => (match.Groups["code"].Value, match.Groups["message"].Value.TrimEnd())).Distinct()];

    public override string ToString() => $"succeeded: {Succeeded}; output:\n{Output}";
}

/// <summary>
/// A console project that uses the repository's SDK files (sdk/Sdk.props and Sdk.targets, imported after
/// Microsoft.NET.Sdk's as &lt;Sdk Name="Oxidize.Sdk"/&gt; imports them) and the freshly built tasks, evaluated and
/// built in this process: the validation targets run in a fraction of a second, with no restore and no publish.
/// </summary>
public static class InProcessBuild
{
    private static readonly Lazy<string> TasksAssembly = new(() =>
    {
        string path = typeof(InProcessBuild).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(attribute => attribute.Key == "TasksAssembly").Value!;
        if (!File.Exists(path))
            Prerequisite.Missing($"{path} (built with this test project)");
        return path;
    });

    /// <summary>Builds <paramref name="targets"/> of a project whose body adds <paramref name="body"/>, as a publish would (_IsPublishing).</summary>
    public static TargetsResult Run(string targets, IReadOnlyDictionary<string, string> properties, string body = "", bool publishing = true)
    {
        string folder = TestScratch.NewDirectory("in-process-targets");
        string sdk = Path.Combine(RepositoryRoot.Path, "sdk");
        string project = Path.Combine(folder, "App.csproj");
        File.WriteAllText(project, $"""
            <Project>
              <Import Project="Sdk.props" Sdk="Microsoft.NET.Sdk" />
              <Import Project="{sdk}/Sdk.props" />
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                {body}
              </PropertyGroup>
              <Import Project="Sdk.targets" Sdk="Microsoft.NET.Sdk" />
              <Import Project="{sdk}/Sdk.targets" />
            </Project>
            """);

        var global = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            // The scratch folder is inside the repository: keep its Directory.Build.props and central versions out.
            ["ImportDirectoryBuildProps"] = "false",
            ["ImportDirectoryBuildTargets"] = "false",
            ["ImportDirectoryPackagesProps"] = "false",
            ["OxidizeTasksAssembly"] = TasksAssembly.Value,
            ["Oxidize"] = "true",
        };
        if (publishing)
            global["_IsPublishing"] = "true";
        foreach ((string name, string value) in properties)
            global[name] = value;

        // MSBuild's console logger, written to a string: a logger type of our own would implement MSBuild's ILogger, and
        // the test framework loads every type of this assembly before MSBuildLocator can point it at the SDK's MSBuild.
        var output = new StringBuilder();
        var logger = new ConsoleLogger(LoggerVerbosity.Normal, text => output.Append(text), _ => { }, () => { });
        var projects = new ProjectCollection();
        ProjectInstance instance = new Project(project, global, toolsVersion: null, projects).CreateProjectInstance();
        bool succeeded = instance.Build(targets.Split(';'), [logger]);
        projects.UnloadAllProjects();
        return new TargetsResult(succeeded, output.ToString());
    }
}

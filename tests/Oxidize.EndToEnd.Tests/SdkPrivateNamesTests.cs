using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// Oxidize's targets lean on names the .NET SDK keeps private (a leading underscore: _IsPublishing, _IsExecutable,
/// _HandleFileConflictsForPublish, _PublishStaticWebAssets*, _NativeExecutableExtension, ...), which an SDK update may
/// rename without notice. This finds every such name in build/ and sdk/ (outside comments, and not Oxidize's own
/// _Oxidize*) and fails when the installed SDK's targets and props (the one global.json selects) no longer mention it.
/// </summary>
[TestClass]
public sealed partial class SdkPrivateNamesTests
{
    [GeneratedRegex(@"<!--.*?-->", RegexOptions.Singleline)]
    private static partial Regex XmlComment();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])_[A-Z][A-Za-z0-9_]*")]
    private static partial Regex PrivateName();

    [TestMethod]
    public void EverySdkPrivateNameTheTargetsUseIsInTheInstalledSdk()
    {
        var ours = new[] { "build", "sdk" }
            .SelectMany(folder => Directory.GetFiles(Path.Combine(RepoPaths.Root, folder), "*", SearchOption.AllDirectories))
            .Where(path => path.EndsWith(".targets", StringComparison.Ordinal) || path.EndsWith(".props", StringComparison.Ordinal))
            .ToList();
        var used = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in ours)
        {
            string text = XmlComment().Replace(File.ReadAllText(file), "");
            foreach (Match match in PrivateName().Matches(text))
            {
                if (!match.Value.StartsWith("_Oxidize", StringComparison.Ordinal))
                    used.TryAdd(match.Value, Path.GetRelativePath(RepoPaths.Root, file));
            }
        }
        CollectionAssert.IsSubsetOf(new[] { "_IsPublishing", "_IsExecutable", "_HandleFileConflictsForPublish", "_NativeExecutableExtension" },
            used.Keys.ToArray(), "the name scan misses names the targets are known to use");

        string sdkFolder = InstalledSdkFolder();
        var sdkText = string.Join('\n', Directory.GetFiles(sdkFolder, "*", SearchOption.AllDirectories)
            .Where(path => path.EndsWith(".targets", StringComparison.Ordinal) || path.EndsWith(".props", StringComparison.Ordinal))
            .Select(File.ReadAllText));
        var missing = used.Where(name => !Regex.IsMatch(sdkText, $@"(?<![A-Za-z0-9_]){Regex.Escape(name.Key)}(?![A-Za-z0-9_])"))
            .Select(name => $"{name.Key} (used in {name.Value})")
            .ToList();
        Assert.AreEqual(0, missing.Count, $"the SDK in {sdkFolder} no longer mentions: {string.Join(", ", missing)}");
    }

    /// <summary>dotnet_root/sdk/VERSION for the SDK `dotnet --version` picks in the repository (global.json).</summary>
    private static string InstalledSdkFolder()
    {
        ProcessResult version = ProcessRunner.Run("dotnet", ["--version"], workingDirectory: RepoPaths.Root);
        Assert.AreEqual(0, version.ExitCode, version.ToString());
        // The test runs on the shared runtime of that dotnet: dotnet_root/shared/Microsoft.NETCore.App/VERSION/.
        string dotnetRoot = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        string folder = Path.Combine(dotnetRoot, "sdk", version.StandardOutput.Trim());
        Assert.IsTrue(Directory.Exists(folder), $"{folder} does not exist");
        return folder;
    }
}

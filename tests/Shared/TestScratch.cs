namespace Oxidize.Tests.Shared;

/// <summary>
/// Scratch folders for tests, under the repository's artifacts/test-scratch/ (emptied by `./build.sh test` before each
/// run), so a test run leaves nothing in /tmp or anywhere else outside artifacts/.
/// </summary>
public static class TestScratch
{
    private static readonly Lazy<string> Root = new(() => Path.Combine(FindRepositoryRoot(), "artifacts", "test-scratch"));

    /// <summary>A new, empty folder named after what it is for.</summary>
    public static string NewDirectory(string purpose)
    {
        string directory = Path.Combine(Root.Value, $"{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        return directory;
    }

    private static string FindRepositoryRoot()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("OXIDIZE_REPO_ROOT");
        if (!string.IsNullOrEmpty(fromEnvironment))
            return fromEnvironment;
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Oxidize.Sdk.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException($"No Oxidize.Sdk.sln above {AppContext.BaseDirectory}: set OXIDIZE_REPO_ROOT.");
    }
}

namespace Oxidize.Tests.Shared;

/// <summary>
/// Scratch folders for tests, under the repository's artifacts/test-scratch/ (emptied by `./build.sh test` before each
/// run), so a test run leaves nothing in /tmp or anywhere else outside artifacts/.
/// </summary>
public static class TestScratch
{
    private static readonly Lazy<string> Root = new(() => Path.Combine(RepositoryRoot.Path, "artifacts", "test-scratch"));

    /// <summary>A new, empty folder named after what it is for.</summary>
    public static string NewDirectory(string purpose)
    {
        string directory = Path.Combine(Root.Value, $"{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        return directory;
    }
}

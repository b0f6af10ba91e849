namespace Oxidize.Tests.Shared;

/// <summary>Where the repository is: OXIDIZE_REPO_ROOT (./build.sh test sets it), else the folder above the test's bin/
/// that holds Oxidize.Sdk.sln.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Found = new(Find);

    public static string Path => Found.Value;

    private static string Find()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("OXIDIZE_REPO_ROOT");
        if (!string.IsNullOrEmpty(fromEnvironment))
            return System.IO.Path.GetFullPath(fromEnvironment);
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Oxidize.Sdk.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException($"No Oxidize.Sdk.sln above {AppContext.BaseDirectory}: set OXIDIZE_REPO_ROOT to the repository root.");
    }
}

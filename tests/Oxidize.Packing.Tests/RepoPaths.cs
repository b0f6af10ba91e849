namespace Oxidize.Packing.Tests;

/// <summary>Where the repo and the freshly built native tools are (./build.sh builds them first).</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string HostHeader => Path.Combine(Root, "src", "Oxidize.Host", "oxidize_format.h");

    public static string Host => RequireBuilt(Path.Combine(Root, "artifacts", "host", "oxidize-host"));

    public static string Inspect => RequireBuilt(Path.Combine(Root, "artifacts", "host", "oxidize-inspect"));

    private static string FindRoot()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("OXIDIZE_REPO_ROOT");
        if (!string.IsNullOrEmpty(fromEnvironment))
            return fromEnvironment;
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Oxidize.Sdk.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException("Cannot find the repo root (Oxidize.Sdk.sln) above " + AppContext.BaseDirectory);
    }

    private static string RequireBuilt(string path) =>
        File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: run ./build.sh first.");
}

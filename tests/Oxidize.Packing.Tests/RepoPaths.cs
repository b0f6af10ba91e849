using Oxidize.Tests.Shared;

namespace Oxidize.Packing.Tests;

/// <summary>Where the repo and the freshly built native tools are (./build.sh builds them first).</summary>
internal static class RepoPaths
{
    public static string Root => RepositoryRoot.Path;

    public static string HostHeader => Path.Combine(Root, "src", "Oxidize.Host", "oxidize_format.h");

    public static string Host => RequireBuilt(Path.Combine(Root, "artifacts", "host", "oxidize-host"));

    public static string Inspect => RequireBuilt(Path.Combine(Root, "artifacts", "host", "oxidize-inspect"));

    private static string RequireBuilt(string path) =>
        File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: run ./build.sh first.");
}

namespace Oxidize.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The audit's fixture packages (tests/Samples/AuditFixturePackages: C sources compiled with gcc, then
/// `dotnet pack`ed) in a local feed built once per test run under artifacts/e2e/AuditFixtureFeed, and
/// copies of the app that references them (tests/Samples/AuditFixtures).
/// </summary>
public static class AuditFixtureFeed
{
    public static readonly string[] PackageIds = ["Audit.Fixture.NewGlibc", "Audit.Fixture.MissingLib", "Audit.Fixture.Location", "Audit.Fixture.UsesLocation"];

    private static readonly Lazy<string> Feed = new(Build);

    public static string Directory => Feed.Value;

    /// <summary>A fresh copy of the fixture app whose NuGet.config also names the fixture feed.</summary>
    public static SampleProject CreateApp(string scratchName)
    {
        string feed = Directory;
        SampleProject sample = SampleProject.Create("AuditFixtures", scratchName);
        string config = Path.Combine(sample.ScratchDirectory, "NuGet.config");
        File.WriteAllText(config, File.ReadAllText(config).Replace("  </packageSources>", $"    <add key=\"audit-fixtures\" value=\"{feed}\" />\n  </packageSources>", StringComparison.Ordinal));
        return sample;
    }

    private static string Build()
    {
        string root = Path.Combine(RepoPaths.EndToEndFolder, nameof(AuditFixtureFeed));
        if (System.IO.Directory.Exists(root))
            System.IO.Directory.Delete(root, recursive: true);
        string sources = Path.Combine(root, "src");
        string feed = Path.Combine(root, "feed");
        CopyDirectory(Path.Combine(RepoPaths.SamplesFolder, "AuditFixturePackages"), sources);
        // Like SampleProject: build these as a user's projects, not with the repository's Directory.Build.*.
        File.WriteAllText(Path.Combine(root, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(root, "Directory.Build.targets"), "<Project />\n");

        NativeCompiler.SharedLibrary(Path.Combine(sources, "NewGlibc"), "newglibc.c", "libnewglibc.so");
        string missing = Path.Combine(sources, "MissingLib");
        NativeCompiler.SharedLibrary(missing, "notthere.c", "libnotthere.so.1");
        NativeCompiler.SharedLibrary(missing, "needsmissing.c", "libneedsmissing.so", "./libnotthere.so.1");

        foreach (string id in PackageIds)
        {
            string project = System.IO.Directory.GetFiles(sources, id + ".csproj", SearchOption.AllDirectories).Single();
            ProcessResult pack = ProcessRunner.Run("dotnet", ["pack", project, "-c", "Release", "-o", feed, "-nologo", "-nodeReuse:false"],
                workingDirectory: Path.GetDirectoryName(project), environment: SampleProject.DotnetEnvironment(), timeout: TimeSpan.FromMinutes(5));
            Assert.AreEqual(0, pack.ExitCode, $"Packing {id} failed:{pack}");
            // NuGet would keep serving a copy extracted by an earlier run of the tests.
            string cached = Path.Combine(RepoPaths.NuGetPackagesFolder, id.ToLowerInvariant());
            if (System.IO.Directory.Exists(cached))
                System.IO.Directory.Delete(cached, recursive: true);
        }
        return feed;
    }

    private static void CopyDirectory(string source, string destination)
    {
        foreach (string file in System.IO.Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(source, file);
            if (relative.Contains("/bin/", StringComparison.Ordinal) || relative.Contains("/obj/", StringComparison.Ordinal))
                continue;
            string target = Path.Combine(destination, relative);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}

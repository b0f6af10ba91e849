using System.Runtime.Versioning;
using Oxidize.EndToEnd.Tests.Infrastructure;

// Oxidize only targets linux-x64, and the tests run what it produces (plus strace, unshare, mount).
[assembly: SupportedOSPlatform("linux")]
// Every test runs `dotnet publish` or an 80 MB executable; on a small machine running them in parallel
// only makes them slower and their timeouts flakier.
[assembly: DoNotParallelize]

namespace Oxidize.EndToEnd.Tests;

[TestClass]
public static class AssemblySetup
{
    [AssemblyInitialize]
    public static void CheckPackageAndClearCachedCopy(TestContext context)
    {
        // Fails early with "run ./build.sh first" when the package is missing.
        _ = RepoPaths.PackagePath;

        // The package version rarely changes between builds; NuGet would keep serving the copy it
        // extracted the first time. Removing it makes every test run use the package just built.
        foreach (string package in new[] { "oxidize.sdk", "oxidize.resources" })
        {
            string cachedCopy = Path.Combine(RepoPaths.NuGetPackagesFolder, package);
            if (Directory.Exists(cachedCopy))
            {
                Directory.Delete(cachedCopy, recursive: true);
            }
        }
    }
}

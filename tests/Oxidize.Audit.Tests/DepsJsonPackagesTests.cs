using System.Text;
using System.Text.Json;
using Oxidize.Audit.Packages;

namespace Oxidize.Audit.Tests;

[TestClass]
public sealed class DepsJsonPackagesTests
{
    [TestMethod]
    public void ListsPackagesIncludingMetapackagesButNotProjectsOrRuntimePacks()
    {
        byte[] deps = Encoding.UTF8.GetBytes("""
            {
              "runtimeTarget": { "name": ".NETCoreApp,Version=v10.0/linux-x64" },
              "libraries": {
                "App/1.0.0": { "type": "project", "serviceable": false },
                "runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/10.0.12": { "type": "runtimepack" },
                "Microsoft.Data.Sqlite/10.0.14": { "type": "package", "serviceable": true },
                "SQLitePCLRaw.core/3.0.3": { "type": "package" },
                "Lib/1.0.0": { "type": "project" }
              }
            }
            """);

        CollectionAssert.AreEqual(
            new[] { new PackageOrigin("Microsoft.Data.Sqlite", "10.0.14"), new PackageOrigin("SQLitePCLRaw.core", "3.0.3") },
            DepsJsonPackages.Read(deps).ToArray());
    }

    [TestMethod]
    public void OtherJsonHasNoPackagesAndBrokenJsonThrows()
    {
        Assert.IsEmpty(DepsJsonPackages.Read("[]"u8));
        Assert.IsEmpty(DepsJsonPackages.Read("""{ "runtimeOptions": {} }"""u8));
        Assert.Throws<JsonException>(() => DepsJsonPackages.Read("{"u8));
    }
}

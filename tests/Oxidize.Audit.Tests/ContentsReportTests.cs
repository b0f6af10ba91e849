using System.Text.Json;
using Oxidize.Audit.Report;
using Oxidize.Packing;

namespace Oxidize.Audit.Tests;

[TestClass]
public sealed class ContentsReportTests
{
    private static readonly PackageOrigin Runtime = new("Microsoft.NETCore.App.Runtime.linux-x64", "10.0.12");

    private static ContentsReport Sample() => new("App", 5_000_000,
    [
        new("libcoreclr.so", ResourceKind.NativeLibrary, 0, 3_000_000, 3_000_000, Runtime, true),
        new("App.dll", ResourceKind.ManagedAssembly, 0, 10_000, 10_000, null, false),
        new("System.Private.CoreLib.dll", ResourceKind.ManagedAssembly, 0, 1_500_000, 1_500_000, Runtime, true),
        new("data/big.bin", ResourceKind.Content, 1, 200_000, 400_000, null, false),
    ]);

    [TestMethod]
    public void LargestComeFirstAndTotalsArePerKind()
    {
        var report = Sample();

        CollectionAssert.AreEqual(new[] { "libcoreclr.so", "System.Private.CoreLib.dll" }, report.Largest(2).Select(entry => entry.Name).ToArray());
        Assert.AreEqual("1 content (0.2 MB), 2 managed (1.4 MB), 1 native (2.9 MB)", report.KindTotals());
        Assert.AreEqual("libcoreclr.so 2.9 MB (native, stored, Microsoft.NETCore.App.Runtime.linux-x64 10.0.12)", ContentsReport.Describe(report.Entries[^1]));
        Assert.AreEqual("codec 1", report.Entries.Single(entry => entry.Name == "data/big.bin").CodecName);
    }

    [TestMethod]
    public void JsonHasFilesPackagesAndTotals()
    {
        using var json = JsonDocument.Parse(Sample().ToJson());
        var root = json.RootElement;

        Assert.AreEqual(4, root.GetProperty("entries").GetInt32());
        Assert.AreEqual(4_710_000, root.GetProperty("storedSize").GetInt64());
        Assert.AreEqual(4_910_000, root.GetProperty("originalSize").GetInt64());
        var packages = root.GetProperty("packages").EnumerateArray().ToList();
        Assert.AreEqual(Runtime.Id, packages[0].GetProperty("id").GetString());
        Assert.IsTrue(packages[0].GetProperty("framework").GetBoolean());
        Assert.AreEqual(2, packages[0].GetProperty("files").GetInt32());
        Assert.AreEqual("(project)", packages[1].GetProperty("id").GetString());
        var files = root.GetProperty("files").EnumerateArray().Select(file => file.GetProperty("name").GetString()).ToArray();
        CollectionAssert.AreEqual(new[] { "App.dll", "System.Private.CoreLib.dll", "data/big.bin", "libcoreclr.so" }, files, "ordinal order");
    }
}

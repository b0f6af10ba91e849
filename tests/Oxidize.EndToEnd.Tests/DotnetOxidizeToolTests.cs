using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// The dotnet oxidize tool, installed from the freshly built package (`dotnet tool install --tool-path`), run against
/// real oxidized executables: each command's output, verify catching a flipped byte, extract refusing to leave its
/// folder, diff between two publishes that differ in one package version, and hostile input giving an exit code
/// and one line instead of a stack trace.
/// </summary>
[TestClass]
public sealed class DotnetOxidizeToolTests
{
    private static string Scratch(string name)
    {
        string folder = Path.Combine(RepoPaths.EndToEndFolder, nameof(DotnetOxidizeToolTests), name);
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static void AssertNoStackTrace(ProcessResult result) =>
        Assert.IsFalse(result.Output.Contains("   at ", StringComparison.Ordinal) || result.Output.Contains("Unhandled exception", StringComparison.Ordinal),
            $"dotnet-oxidize printed a stack trace:{result}");

    private static JsonElement ListJson(string executable)
    {
        ProcessResult list = InstalledOxidizeTool.Run("list", "--json", executable);
        Assert.AreEqual(0, list.ExitCode, list.ToString());
        return JsonDocument.Parse(list.StandardOutput).RootElement;
    }

    [TestMethod]
    public void InfoDescribesTheExecutable()
    {
        string executable = PublishedHello.ExecutablePath;
        int entries = PackedExecutable.Entries(executable).Count;

        ProcessResult info = InstalledOxidizeTool.Run("info", executable);

        Assert.AreEqual(0, info.ExitCode, info.ToString());
        StringAssert.Contains(info.StandardOutput, "Format version:   1", info.ToString());
        StringAssert.Matches(info.StandardOutput, new System.Text.RegularExpressions.Regex(@"Runtime: +\.NET 10\.0\.\d+ linux-x64"), info.ToString());
        StringAssert.Contains(info.StandardOutput, "Entry assembly:   Hello.dll", info.ToString());
        StringAssert.Contains(info.StandardOutput, "Userland:         system", info.ToString());
        StringAssert.Contains(info.StandardOutput, "Compression:      none", info.ToString());
        StringAssert.Contains(info.StandardOutput, $"Entries:          {entries} (", info.ToString());
        // The runtime's own floor, recorded by the publish-time audit in the packed bill of materials.
        StringAssert.Contains(info.StandardOutput, "glibc floor:      2.27", info.ToString());
    }

    [TestMethod]
    public void ListAgreesWithTheHostsReaderAndNamesEachEntrysPackage()
    {
        string executable = PublishedRealApp.ExecutablePath;
        var expected = PackedExecutable.Entries(executable);
        var locked = LockedPackages.OfSample("RealApp", PublishedRealApp.Sample.ProjectDirectory);

        JsonElement root = ListJson(executable);
        var listed = root.GetProperty("entries").EnumerateArray().ToDictionary(entry => entry.GetProperty("name").GetString()!);

        CollectionAssert.AreEquivalent(expected.Keys.ToList(), listed.Keys.ToList());
        foreach (var (name, entry) in expected)
        {
            Assert.AreEqual(entry.Sha256, listed[name].GetProperty("sha256").GetString(), name);
            Assert.AreEqual(entry.OriginalSize, listed[name].GetProperty("size").GetInt64(), name);
        }
        void AssertPackage(string entry, string package, string version)
        {
            Assert.AreEqual(package, listed[entry].GetProperty("package").GetString(), entry);
            Assert.AreEqual(version, listed[entry].GetProperty("packageVersion").GetString(), entry);
        }
        AssertPackage("System.CommandLine.dll", "System.CommandLine", locked.Version("System.CommandLine"));
        var (sqliteId, sqliteVersion) = locked.PackageCarrying("libe_sqlite3.so");
        AssertPackage("libe_sqlite3.so", sqliteId, sqliteVersion);
        Assert.AreEqual("Microsoft.NETCore.App.Runtime.linux-x64", listed["System.Private.CoreLib.dll"].GetProperty("package").GetString());
        Assert.AreEqual("runtime", listed["System.Private.CoreLib.dll"].GetProperty("packageSource").GetString());

        ProcessResult table = InstalledOxidizeTool.Run("list", executable);
        Assert.AreEqual(0, table.ExitCode, table.ToString());
        Assert.AreEqual(expected.Count + 1, table.StandardOutput.TrimEnd().Split('\n').Length, "one header line and one line per entry" + table);
        StringAssert.Matches(table.StandardOutput, new System.Text.RegularExpressions.Regex($@"native +stored +\d+ +\d+ +{sqliteId} +{sqliteVersion} +libe_sqlite3\.so"), table.ToString());

        ProcessResult tree = InstalledOxidizeTool.Run("list", "--tree", executable);
        Assert.AreEqual(0, tree.ExitCode, tree.ToString());
        StringAssert.Contains(tree.StandardOutput, $"── {sqliteId} {sqliteVersion}  ", tree.ToString());
        StringAssert.Contains(tree.StandardOutput, "── libe_sqlite3.so  ", tree.ToString());
    }

    [TestMethod]
    public void VerifyPassesAnIntactExecutableAndNamesTheEntryWithAFlippedByte()
    {
        string executable = PublishedHello.ExecutablePath;
        ProcessResult intact = InstalledOxidizeTool.Run("verify", executable);
        Assert.AreEqual(0, intact.ExitCode, intact.ToString());
        StringAssert.Contains(intact.StandardOutput, "OK:", intact.ToString());

        JsonElement coreLib = ListJson(executable).GetProperty("entries").EnumerateArray().Single(entry => entry.GetProperty("name").GetString() == "System.Private.CoreLib.dll");
        string damaged = Path.Combine(Scratch("flipped"), "Hello");
        File.Copy(executable, damaged);
        using (var file = new FileStream(damaged, FileMode.Open, FileAccess.ReadWrite))
        {
            file.Position = coreLib.GetProperty("fileOffset").GetInt64() + coreLib.GetProperty("storedSize").GetInt64() / 2;
            int value = file.ReadByte();
            file.Position--;
            file.WriteByte((byte)(value ^ 0x01));
        }

        ProcessResult flipped = InstalledOxidizeTool.Run("verify", damaged);

        Assert.AreEqual(1, flipped.ExitCode, flipped.ToString());
        StringAssert.Contains(flipped.StandardError, "entry 'System.Private.CoreLib.dll' does not match its SHA-256", flipped.ToString());
        StringAssert.Contains(flipped.StandardError, "1 of ", flipped.ToString());
        AssertNoStackTrace(flipped);
    }

    [TestMethod]
    public void CompressedEntriesAreDecodedToVerifyAndCompareByContent()
    {
        SampleProject sample = SampleProject.Create("Hello", "DotnetOxidizeLz4");
        ProcessResult publish = sample.Publish("-p:OxidizeCompression=lz4");
        Assert.AreEqual(0, publish.ExitCode, publish.ToString());
        string compressed = sample.ExecutablePath;

        ProcessResult info = InstalledOxidizeTool.Run("info", compressed);
        StringAssert.Contains(info.StandardOutput, "Compression:      lz4 (", info.ToString());
        ProcessResult verify = InstalledOxidizeTool.Run("verify", compressed);
        Assert.AreEqual(0, verify.ExitCode, verify.ToString());

        // The same app stored and compressed: the same entries with the same original bytes, in a smaller file. Only
        // Hello.dll may differ: it was compiled in another folder, whose path its embedded PDB records.
        ProcessResult diff = InstalledOxidizeTool.Run("diff", PublishedHello.ExecutablePath, compressed);
        StringAssert.Contains(diff.StandardOutput, "0 added, 0 removed, ", diff.ToString());
        var changed = diff.StandardOutput.Split('\n').Where(line => line.StartsWith("~ ", StringComparison.Ordinal)).ToList();
        Assert.IsTrue(changed.All(line => line.StartsWith("~ Hello.dll ", StringComparison.Ordinal)), diff.ToString());
        StringAssert.Contains(diff.StandardOutput, "file size -", diff.ToString());

        JsonElement largest = ListJson(compressed).GetProperty("entries").EnumerateArray()
            .Where(entry => entry.GetProperty("codec").GetString() == "lz4").MaxBy(entry => entry.GetProperty("storedSize").GetInt64());
        string name = largest.GetProperty("name").GetString()!;
        string damaged = Path.Combine(Scratch("lz4-flipped"), "Hello");
        File.Copy(compressed, damaged);
        using (var file = new FileStream(damaged, FileMode.Open, FileAccess.ReadWrite))
        {
            file.Position = largest.GetProperty("fileOffset").GetInt64() + largest.GetProperty("storedSize").GetInt64() / 2;
            int value = file.ReadByte();
            file.Position--;
            file.WriteByte((byte)(value ^ 0x20));
        }
        ProcessResult flipped = InstalledOxidizeTool.Run("verify", damaged);
        Assert.AreEqual(1, flipped.ExitCode, flipped.ToString());
        StringAssert.Contains(flipped.StandardError, $"entry '{name}' ", flipped.ToString());
        AssertNoStackTrace(flipped);
    }

    [TestMethod]
    public void HostileFilesGiveAnExitCodeAndOneLineNeverAStackTrace()
    {
        string folder = Scratch("hostile");
        string executable = PublishedHello.ExecutablePath;
        byte[] bytes = File.ReadAllBytes(executable);
        string truncated = Path.Combine(folder, "truncated");
        File.WriteAllBytes(truncated, bytes[..^1]);
        string badIndex = Path.Combine(folder, "bad-index");
        long payload = BitConverter.ToInt64(bytes, bytes.Length - 32 + 8);
        byte[] copy = (byte[])bytes.Clone();
        copy[payload + 16] = 0xFF; copy[payload + 17] = 0xFF; copy[payload + 18] = 0xFF; copy[payload + 19] = 0x7F; // entry_count
        File.WriteAllBytes(badIndex, copy);
        string text = Path.Combine(folder, "text");
        File.WriteAllText(text, string.Concat(Enumerable.Repeat("not an executable\n", 100)));
        string empty = Path.Combine(folder, "empty");
        File.WriteAllBytes(empty, []);

        foreach (string command in (string[])["info", "list", "verify", "bom"])
        {
            foreach (string file in (string[])[truncated, badIndex, text, empty])
            {
                ProcessResult result = InstalledOxidizeTool.Run(command, file);
                Assert.AreEqual(3, result.ExitCode, result.ToString());
                StringAssert.StartsWith(result.StandardError, "dotnet-oxidize: " + file + ": Not a valid Oxidize executable: ", result.ToString());
                AssertNoStackTrace(result);
            }
        }
        ProcessResult missing = InstalledOxidizeTool.Run("verify", Path.Combine(folder, "missing"));
        Assert.AreEqual(4, missing.ExitCode, missing.ToString());
        AssertNoStackTrace(missing);
        ProcessResult usage = InstalledOxidizeTool.Run("verify");
        Assert.AreEqual(2, usage.ExitCode, usage.ToString());
    }

    [TestMethod]
    public void ExtractWritesCheckedEntriesAndRefusesToLeaveItsFolder()
    {
        string executable = PublishedHello.ExecutablePath;
        var entries = PackedExecutable.Entries(executable);
        string folder = Scratch("extract");

        string all = Path.Combine(folder, "all");
        ProcessResult extract = InstalledOxidizeTool.Run("extract", executable, all);
        Assert.AreEqual(0, extract.ExitCode, extract.ToString());
        var written = Directory.GetFiles(all, "*", SearchOption.AllDirectories).Select(path => Path.GetRelativePath(all, path)).ToList();
        CollectionAssert.AreEquivalent(entries.Keys.ToList(), written);
        Assert.AreEqual(entries["Hello.dll"].Sha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(all, "Hello.dll")))));

        string some = Path.Combine(folder, "some");
        ProcessResult only = InstalledOxidizeTool.Run("extract", executable, some, "--only", "*.json");
        Assert.AreEqual(0, only.ExitCode, only.ToString());
        CollectionAssert.AreEquivalent(new[] { "Hello.deps.json", "Hello.runtimeconfig.json" }, Directory.GetFiles(some).Select(Path.GetFileName).ToList());

        ProcessResult again = InstalledOxidizeTool.Run("extract", executable, some);
        Assert.AreEqual(5, again.ExitCode, again.ToString());
        StringAssert.Contains(again.StandardError, "is not an empty folder", again.ToString());

        // An entry named "../idize/bom.cdx.json": the same length as ".oxidize/bom.cdx.json" and still first in byte
        // order, so the index stays valid; only the name now points out of the folder. The reader refuses such a name
        // as the host does (docs/format.md: names are relative paths), so nothing is extracted at all.
        byte[] bytes = File.ReadAllBytes(executable);
        byte[] name = Encoding.UTF8.GetBytes("\0.oxidize/bom.cdx.json\0");
        var hits = Enumerable.Range(0, bytes.Length - name.Length).Where(i => bytes.AsSpan(i, name.Length).SequenceEqual(name)).ToList();
        Assert.HasCount(1, hits, "the entry name should appear once, in the string table");
        Encoding.UTF8.GetBytes("../").CopyTo(bytes, hits[0] + 1);
        string escaping = Path.Combine(folder, "escaping");
        File.WriteAllBytes(escaping, bytes);
        string target = Path.Combine(folder, "inside", "out");

        ProcessResult refused = InstalledOxidizeTool.Run("extract", escaping, target);

        Assert.AreEqual(3, refused.ExitCode, refused.ToString());
        StringAssert.Contains(refused.StandardError, "('../idize/bom.cdx.json') is not a relative path", refused.ToString());
        Assert.IsFalse(Directory.Exists(Path.Combine(folder, "inside", "idize")), "extract wrote outside its folder");
        Assert.IsFalse(Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any(), "extract wrote entries before refusing");
        AssertNoStackTrace(refused);
    }

    [TestMethod]
    public void BomPrintsThePackedBillOfMaterials()
    {
        string executable = PublishedRealApp.ExecutablePath;
        string folder = Scratch("bom");
        ProcessResult extract = InstalledOxidizeTool.Run("extract", executable, folder, "--only", ".oxidize/bom.cdx.json");
        Assert.AreEqual(0, extract.ExitCode, extract.ToString());

        ProcessResult bom = InstalledOxidizeTool.Run("bom", executable);

        Assert.AreEqual(0, bom.ExitCode, bom.ToString());
        Assert.AreEqual(File.ReadAllText(Path.Combine(folder, ".oxidize", "bom.cdx.json")).TrimEnd(), bom.StandardOutput.TrimEnd());
        var root = JsonDocument.Parse(bom.StandardOutput).RootElement;
        Assert.AreEqual("CycloneDX", root.GetProperty("bomFormat").GetString());
        Assert.IsTrue(root.GetProperty("components").EnumerateArray().Any(component => component.GetProperty("name").GetString() == "System.CommandLine"), bom.StandardOutput);
    }

    [TestMethod]
    public void DiffShowsAPackageVersionChangeAndFindsNothingBetweenCopies()
    {
        // Hello with System.CommandLine at the pinned version and at an older one the registry serves: one package apart.
        string pinned = PublishHelloWithCommandLine("DiffPinned", "");
        string older = PublishHelloWithCommandLine("DiffOlder", " VersionOverride=\"2.0.0\"");
        var locked = LockedPackages.OfSample("RealApp");

        ProcessResult diff = InstalledOxidizeTool.Run("diff", older, pinned);

        Assert.AreEqual(1, diff.ExitCode, diff.ToString());
        StringAssert.Contains(diff.StandardOutput, $"package System.CommandLine: 2.0.0 -> {locked.Version("System.CommandLine")}", diff.ToString());
        StringAssert.Matches(diff.StandardOutput, new System.Text.RegularExpressions.Regex(@"~ System\.CommandLine\.dll  .* -> .*\(System\.CommandLine 2\.0\.0 -> System\.CommandLine "), diff.ToString());
        StringAssert.Contains(diff.StandardOutput, "~ Hello.deps.json", diff.ToString());
        StringAssert.Contains(diff.StandardOutput, "0 removed", diff.ToString());

        string copy = Path.Combine(Scratch("diff-copy"), "Hello");
        File.Copy(pinned, copy);
        ProcessResult same = InstalledOxidizeTool.Run("diff", pinned, copy);
        Assert.AreEqual(0, same.ExitCode, same.ToString());
        StringAssert.Contains(same.StandardOutput, "0 added, 0 removed, 0 changed", same.ToString());
    }

    private static string PublishHelloWithCommandLine(string scratchName, string versionOverride)
    {
        SampleProject sample = SampleProject.Create("Hello", scratchName);
        sample.EditProjectFile("</Project>", $"""
              <ItemGroup>
                <PackageReference Include="System.CommandLine"{versionOverride} />
              </ItemGroup>
            </Project>
            """);
        ProcessResult publish = sample.Publish();
        Assert.AreEqual(0, publish.ExitCode, publish.ToString());
        return sample.ExecutablePath;
    }
}

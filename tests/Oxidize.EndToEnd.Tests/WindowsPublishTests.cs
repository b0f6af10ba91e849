using System.Text.Json;
using Oxidize.EndToEnd.Tests.Infrastructure;
using Oxidize.Tests.Shared;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// The publish side of win-x64, from this Linux machine: `dotnet publish -r win-x64 -p:Oxidize=true` leaves Hello.exe
/// alone in the publish folder, a PE host with the payload after it (runtime identifier win-x64, the runtime's DLLs as
/// native libraries, the debugger and hosting DLLs left out), and the audit's bill of materials and the contents report
/// name the win-x64 runtime pack. Running it is WindowsRunTests' job (under Wine). One publish for every test here.
/// </summary>
[TestClass]
public sealed class WindowsPublishTests
{
    /// <summary>What the Windows host's build (src/Oxidize.Host/Makefile, eng/build.sh) writes, and the package carries.</summary>
    private static string BuiltWindowsHost => Path.Combine(RepoPaths.Root, "artifacts", "host", "win-x64", "oxidize-host.exe");

    private static readonly Lazy<(SampleProject Sample, ProcessResult Publish, string Host)> Published = new(() =>
    {
        SampleProject sample = SampleProject.Create("Hello", nameof(WindowsPublishTests));
        // The package's own host when ./build.sh built one; else a stand-in PE console program, built here, in the scratch
        // folder only: these tests are about what the publish writes, not about what the host does.
        var (host, arguments) = WindowsHost(sample.ScratchDirectory);
        return (sample, sample.PublishForRuntime("win-x64", arguments), host);
    });

    /// <summary>The Windows host the tests publish with: the package's, or a stand-in built in <paramref name="scratch"/>
    /// (the -p:OxidizeHostPath argument then says so).</summary>
    private static (string Host, string[] Arguments) WindowsHost(string scratch)
    {
        if (File.Exists(BuiltWindowsHost))
            return (BuiltWindowsHost, []);
        string host = PlaceholderHost(scratch);
        return (host, [$"-p:OxidizeHostPath={host}"]);
    }

    private static SampleProject Hello
    {
        get
        {
            var (sample, publish, _) = Published.Value;
            Assert.AreEqual(0, publish.ExitCode, $"Publishing Hello for win-x64 failed:{publish}");
            return sample;
        }
    }

    private static string PlaceholderHost(string directory)
    {
        File.WriteAllText(Path.Combine(directory, "placeholder-host.c"), "int main(void) { return 0; }\n");
        Run("x86_64-w64-mingw32-gcc", ["-O2", "-o", "oxidize-host.exe", "placeholder-host.c"], directory);
        return Path.Combine(directory, "oxidize-host.exe");
    }

    private static string ObjFile(string suffix) =>
        Path.Combine(Hello.ProjectDirectory, "obj", "Release", "net10.0", "win-x64", "Hello" + suffix);

    [TestMethod]
    public void ThePublishFolderHoldsOnlyHelloExeAPeHostWithThePayloadAfterIt()
    {
        string executable = Path.Combine(Hello.PublishDirectory, "Hello.exe");

        CollectionAssert.AreEqual(new[] { executable }, Directory.GetFileSystemEntries(Hello.PublishDirectory));
        byte[] host = File.ReadAllBytes(Published.Value.Host);
        byte[] front = new byte[host.Length];
        using (var file = File.OpenRead(executable))
            file.ReadExactly(front);
        Assert.AreEqual((byte)'M', front[0]);
        Assert.AreEqual((byte)'Z', front[1]);
        CollectionAssert.AreEqual(host, front, "the host's PE image is unchanged at the front of Hello.exe");
        Assert.IsGreaterThan(host.Length + 50_000_000L, new FileInfo(executable).Length, "the runtime is packed after the host");
    }

    [TestMethod]
    public void ThePayloadIsForWinX64WithTheRuntimesDllsAsNativeLibraries()
    {
        string executable = Path.Combine(Hello.PublishDirectory, "Hello.exe");
        ProcessResult inspect = ProcessRunner.Run(PackedExecutable.InspectToolPath, [executable], timeout: TimeSpan.FromMinutes(1));
        Assert.AreEqual(0, inspect.ExitCode, inspect.ToString());
        StringAssert.Contains(inspect.StandardOutput, "rid\twin-x64\n");

        var entries = PackedExecutable.Entries(executable);

        foreach (string dll in new[] { "coreclr.dll", "clrjit.dll", "System.IO.Compression.Native.dll", "mscorrc.dll" })
            Assert.AreEqual(2, entries.TryGetValue(dll, out var entry) ? entry.Kind : -1, $"{dll} is not packed as a native library: {string.Join(", ", entries.Keys)}");
        Assert.AreEqual(1, entries["Hello.dll"].Kind);
        Assert.AreEqual(1, entries["System.Private.CoreLib.dll"].Kind);
        Assert.IsTrue(entries.Keys.All(name => !name.Contains('\\')), "entry names use '/'");
        // OxidizeExcludedRuntimeFiles for Windows, the DAC's versioned copy with it.
        var excluded = entries.Keys.Where(name => name is "createdump.exe" or "mscordbi.dll" or "hostfxr.dll" or "hostpolicy.dll" or "clretwrc.dll"
            or "Microsoft.DiaSymReader.Native.amd64.dll" || name.StartsWith("mscordaccore", StringComparison.Ordinal)).ToList();
        Assert.IsEmpty(excluded, string.Join(", ", excluded));
    }

    [TestMethod]
    public void TheAuditSummaryBillOfMaterialsAndContentsReportCoverWinX64()
    {
        string output = Published.Value.Publish.Output;
        _ = Hello;
        StringAssert.Contains(output, "Oxidize audit: win-x64: every packed DLL's imports are packed or part of Windows.");
        Assert.DoesNotContain("OXSDK3003", output);
        Assert.DoesNotContain("OXSDK3004", output);

        using var bom = JsonDocument.Parse(File.ReadAllBytes(ObjFile(".oxidize.bom.cdx.json")));
        var pack = bom.RootElement.GetProperty("components").EnumerateArray()
            .Single(component => component.GetProperty("name").GetString() == "Microsoft.NETCore.App.Runtime.win-x64");
        Assert.AreEqual("MIT", pack.GetProperty("licenses")[0].GetProperty("expression").GetString());
        CollectionAssert.Contains(pack.GetProperty("components").EnumerateArray().Select(file => file.GetProperty("name").GetString()).ToList(), "coreclr.dll");
        Assert.AreEqual("win-x64", bom.RootElement.GetProperty("metadata").GetProperty("component").GetProperty("properties")
            .EnumerateArray().Single(property => property.GetProperty("name").GetString() == "oxidize:runtimeIdentifier").GetProperty("value").GetString());

        using var report = JsonDocument.Parse(File.ReadAllBytes(ObjFile(".oxidize.report.json")));
        var coreclr = report.RootElement.GetProperty("files").EnumerateArray().Single(file => file.GetProperty("name").GetString() == "coreclr.dll");
        Assert.AreEqual("native", coreclr.GetProperty("kind").GetString());
        Assert.AreEqual("Microsoft.NETCore.App.Runtime.win-x64", coreclr.GetProperty("package").GetString());
        Assert.AreEqual(new FileInfo(Path.Combine(Hello.PublishDirectory, "Hello.exe")).Length, report.RootElement.GetProperty("size").GetInt64());
    }

    /// <summary>OutputType=WinExe gives the executable the Windows GUI subsystem (no console window), as the SDK's apphost
    /// does; everything else of the host is unchanged.</summary>
    [TestMethod]
    public void AWinExeProjectGetsTheGuiSubsystem()
    {
        SampleProject sample = SampleProject.Create("Hello", nameof(AWinExeProjectGetsTheGuiSubsystem));
        var (host, arguments) = WindowsHost(sample.ScratchDirectory);
        sample.EditProjectFile("<OutputType>Exe</OutputType>", "<OutputType>WinExe</OutputType>");

        ProcessResult publish = sample.PublishForRuntime("win-x64", arguments);

        Assert.AreEqual(0, publish.ExitCode, publish.ToString());
        byte[] hostBytes = File.ReadAllBytes(host);
        byte[] front = File.ReadAllBytes(Path.Combine(sample.PublishDirectory, "Hello.exe"))[..hostBytes.Length];
        Assert.AreEqual((ushort)3, Subsystem(hostBytes), "the package's host is a console program");
        Assert.AreEqual((ushort)2, Subsystem(front));
        Assert.AreEqual(1, hostBytes.Zip(front).Count(pair => pair.First != pair.Second), "only the Subsystem field differs from the host");
        Assert.AreEqual((ushort)3, Subsystem(File.ReadAllBytes(Path.Combine(Hello.PublishDirectory, "Hello.exe"))[..hostBytes.Length]),
            "an Exe project keeps the console subsystem");
    }

    /// <summary>A content file the app would read by path is packed but, on Windows, reachable only through
    /// Oxidize.Resources: the publish says so with OXSDK1021 naming it (Hello alone, whose only content is its
    /// deps.json, runtimeconfig.json and PDB, gets no such warning); kept beside the .exe, it is not named.</summary>
    [TestMethod]
    public void ContentFilesReadByPathGetOXSDK1021UnlessKeptOnDisk()
    {
        Assert.IsFalse(Published.Value.Publish.Output.Contains("OXSDK1021"), $"Hello has no content of its own:{Published.Value.Publish}");

        SampleProject sample = SampleProject.Create("Hello", nameof(ContentFilesReadByPathGetOXSDK1021UnlessKeptOnDisk));
        var (_, arguments) = WindowsHost(sample.ScratchDirectory);
        File.WriteAllText(Path.Combine(sample.ProjectDirectory, "appsettings.json"), "{}");
        File.WriteAllText(Path.Combine(sample.ProjectDirectory, "beside.txt"), "kept on disk");
        sample.EditProjectFile("</Project>", """
              <ItemGroup>
                <None Include="appsettings.json" CopyToPublishDirectory="PreserveNewest" />
                <None Include="beside.txt" CopyToPublishDirectory="PreserveNewest" OxidizeFilesystem="true" />
              </ItemGroup>
            </Project>
            """);

        ProcessResult publish = sample.PublishForRuntime("win-x64", arguments);

        Assert.AreEqual(0, publish.ExitCode, publish.ToString());
        StringAssert.Contains(publish.Output, "warning OXSDK1021: 1 packed content file(s) of this win-x64 app ('appsettings.json') can be read only through Oxidize.Resources");
        Assert.IsTrue(File.Exists(Path.Combine(sample.PublishDirectory, "beside.txt")), "the escape hatch kept beside.txt on disk");
    }

    /// <summary>Two clean publishes of the same project for win-x64 give the same Hello.exe, byte for byte.</summary>
    [TestMethod]
    public void TwoCleanPublishesGiveIdenticalExecutables()
    {
        SampleProject sample = SampleProject.Create("Hello", nameof(WindowsPublishTests) + "Twice");
        var (_, arguments) = WindowsHost(sample.ScratchDirectory);
        string executable = Path.Combine(sample.PublishDirectory, "Hello.exe");
        ProcessResult first = sample.PublishForRuntime("win-x64", arguments);
        Assert.AreEqual(0, first.ExitCode, first.ToString());
        byte[] firstBytes = File.ReadAllBytes(executable);

        foreach (string output in new[] { "bin", "obj" })
            Directory.Delete(Path.Combine(sample.ProjectDirectory, output), recursive: true);
        Directory.Delete(sample.PublishDirectory, recursive: true);
        ProcessResult second = sample.PublishForRuntime("win-x64", arguments);

        Assert.AreEqual(0, second.ExitCode, second.ToString());
        Assert.IsTrue(firstBytes.AsSpan().SequenceEqual(File.ReadAllBytes(executable)), "the two clean win-x64 publishes differ");
    }

    /// <summary>A project's own DLL that imports a DLL nobody packs (built here with mingw-w64 against a .def import
    /// library) fails the audit with OXSDK3003 naming both, and the refused publish leaves no publish folder.</summary>
    [TestMethod]
    public void ADllImportingAnUnpackedNonWindowsDllFailsTheAuditWithOXSDK3003()
    {
        SampleProject sample = SampleProject.Create("Hello", nameof(ADllImportingAnUnpackedNonWindowsDllFailsTheAuditWithOXSDK3003));
        var (_, arguments) = WindowsHost(sample.ScratchDirectory);
        string directory = sample.ProjectDirectory;
        File.WriteAllText(Path.Combine(directory, "absent.def"), "LIBRARY absent-helper.dll\nEXPORTS\nhelper_value\n");
        File.WriteAllText(Path.Combine(directory, "needs.c"),
            "__declspec(dllimport) int helper_value(void);\n__declspec(dllexport) int answer(void) { return helper_value(); }\n");
        Run("x86_64-w64-mingw32-dlltool", ["-d", "absent.def", "-l", "libabsent.a"], directory);
        Run("x86_64-w64-mingw32-gcc", ["-shared", "-O2", "-o", "needsabsent.dll", "needs.c", "libabsent.a"], directory);
        sample.EditProjectFile("</Project>", """
              <ItemGroup>
                <None Include="needsabsent.dll" CopyToPublishDirectory="PreserveNewest" />
              </ItemGroup>
            </Project>
            """);

        ProcessResult publish = sample.PublishForRuntime("win-x64", arguments);

        Assert.AreNotEqual(0, publish.ExitCode, publish.ToString());
        StringAssert.Contains(publish.Output, "error OXSDK3003: 'needsabsent.dll' (from the project) imports 'absent-helper.dll', which is neither packed nor part of Windows");
        Assert.IsFalse(Directory.Exists(sample.PublishDirectory), "the refused publish removed the publish folder it created");
    }

    private static void Run(string tool, string[] arguments, string directory)
    {
        ProcessResult result;
        try
        {
            result = ProcessRunner.Run(tool, arguments, workingDirectory: directory, timeout: TimeSpan.FromMinutes(2));
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Prerequisite.Missing($"{tool} (Debian package gcc-mingw-w64-x86-64)");
            throw;
        }
        Assert.AreEqual(0, result.ExitCode, $"{tool} failed:{result}");
    }

    /// <summary>The PE optional header's Subsystem field (2 GUI, 3 console): e_lfanew, then "PE\0\0", the 20-byte COFF header, and 68 bytes in.</summary>
    private static ushort Subsystem(byte[] image) =>
        System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(image.AsSpan(0x3C)) + 4 + 20 + 68));
}

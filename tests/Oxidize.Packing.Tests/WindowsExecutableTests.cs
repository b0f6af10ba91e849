using System.Text;
using Oxidize.Tests.Shared;

namespace Oxidize.Packing.Tests;

/// <summary>
/// win-x64: the payload goes after a PE host (an overlay, in the same format), the host must be PE for a Windows
/// runtime identifier and ELF for a Linux one (OXSDK2004 either way), and a PE DLL without .NET metadata is a native
/// library only for a Windows target.
/// </summary>
[TestClass]
public sealed class WindowsExecutableTests
{
    private static PayloadManifest Windows(PayloadManifest manifest) => new()
    {
        RuntimeVersion = manifest.RuntimeVersion,
        RuntimeIdentifier = "win-x64",
        EntryAssemblyName = manifest.EntryAssemblyName,
        Properties = manifest.Properties,
        Resources = [.. manifest.Resources.Where(resource => resource.Kind != ResourceKind.NativeLibrary),
            new PackedResource("coreclr.dll", ResourceKind.NativeLibrary, HandMadePe.Build(["kernel32.dll"]).Bytes)],
    };

    [TestMethod]
    public void APeHostCarriesTheSamePayloadWithTheWindowsRuntimeIdentifier()
    {
        byte[] host = HandMadePe.Build(["kernel32.dll"]).Bytes;
        string path = Path.Combine(TestScratch.NewDirectory("windows-executable"), "App.exe");
        File.WriteAllBytes(path, SampleManifests.Executable(Windows(SampleManifests.Small()), host));

        using var reader = PackedResourcesReader.Open(path);

        CollectionAssert.AreEqual(host, File.ReadAllBytes(path)[..host.Length], "the PE image is unchanged at the front");
        Assert.AreEqual("win-x64", reader.RuntimeIdentifier);
        Assert.IsTrue(reader.TryFind("coreclr.dll", out var coreclr));
        Assert.AreEqual(ResourceKind.NativeLibrary, coreclr.Kind);
    }

    /// <summary>Authenticode (signtool, osslsigncode) appends a certificate table after the trailer and points the PE
    /// security directory (a file offset) at it: both readers, the C# one and the host's (oxidize-inspect), find the
    /// trailer where that table begins when it ends the file, and the same table anywhere else is not a signature.</summary>
    [TestMethod]
    public void BothReadersFindTheTrailerBeforeAnAuthenticodeCertificateTable()
    {
        byte[] unsigned = SampleManifests.Executable(Windows(SampleManifests.Small()), HandMadePe.Build(["kernel32.dll"]).Bytes);
        Assert.AreEqual(0, unsigned.Length % 8, "the publish ends the file 8-aligned, so signing adds no padding before its table");

        string signed = NativeTool.WriteExecutable(AuthenticodeTable.Appended(unsigned), "Signed.exe");
        string misdirected = NativeTool.WriteExecutable(AuthenticodeTable.Appended(unsigned, tableSizeDelta: -8), "Misdirected.exe");

        using (var reader = PackedResourcesReader.Open(signed))
        {
            Assert.AreEqual("win-x64", reader.RuntimeIdentifier);
            Assert.IsTrue(reader.TryFind("coreclr.dll", out _));
        }
        NativeTool.Result inspect = NativeTool.Run(RepoPaths.Inspect, "--verify", signed);
        Assert.AreEqual(0, inspect.ExitCode, inspect.Stderr);
        Assert.Contains("rid\twin-x64", inspect.Stdout);
        // A security directory whose table does not end the file: the end of the file is where the trailer must be.
        var refused = Assert.ThrowsExactly<InvalidDataException>(() => PackedResourcesReader.Open(misdirected));
        Assert.Contains("no Oxidize trailer", refused.Message);
        NativeTool.Result refusedByHost = NativeTool.Run(RepoPaths.Inspect, "--verify", misdirected);
        Assert.AreEqual(HostExitCodes.PayloadMissing, refusedByHost.ExitCode, refusedByHost.Stderr);
    }

    [TestMethod]
    public void AnElfHostForWindowsAndAPeHostForLinuxAreRefusedWithOXSDK2004()
    {
        using var output = new MemoryStream();
        var forWindows = Assert.ThrowsExactly<PackingException>(
            () => PackedResourcesWriter.WriteExecutable(output, SampleManifests.FakeHost, Windows(SampleManifests.Small())));
        var forLinux = Assert.ThrowsExactly<PackingException>(
            () => PackedResourcesWriter.WriteExecutable(output, HandMadePe.Build(["kernel32.dll"]).Bytes, SampleManifests.Small()));

        Assert.AreEqual(PackingErrorCodes.HostNotExecutable, forWindows.Code);
        StringAssert.Contains(forWindows.Message, "not a PE (Windows) executable, which win-x64 needs");
        Assert.AreEqual(PackingErrorCodes.HostNotExecutable, forLinux.Code);
        StringAssert.Contains(forLinux.Message, "not an ELF file, which linux-x64 needs");
        Assert.AreEqual(0, output.Length);
    }

    [TestMethod]
    public void ANativeDllIsANativeLibraryForWindowsAndContentForLinux()
    {
        byte[] dll = HandMadePe.Build(["kernel32.dll"]).Bytes;
        byte[] elf = File.ReadAllBytes(RepoPaths.Host);
        byte[] assembly = File.ReadAllBytes(typeof(ResourceClassifier).Assembly.Location);

        Assert.AreEqual(ResourceKind.NativeLibrary, ResourceClassifier.Classify(dll, NativeFormat.Pe));
        Assert.AreEqual(ResourceKind.Content, ResourceClassifier.Classify(dll, NativeFormat.Elf));
        Assert.AreEqual(ResourceKind.Content, ResourceClassifier.Classify(elf, NativeFormat.Pe));
        Assert.AreEqual(ResourceKind.ManagedAssembly, ResourceClassifier.Classify(assembly, NativeFormat.Pe));
        Assert.AreEqual(ResourceKind.Content, ResourceClassifier.Classify(Encoding.ASCII.GetBytes("MZ but not a PE file at all"), NativeFormat.Pe));
    }

    [TestMethod]
    public void OnlyWindowsRuntimeIdentifiersArePe()
    {
        Assert.AreEqual(NativeFormat.Pe, NativeFormats.ForRuntimeIdentifier("win-x64"));
        Assert.AreEqual(NativeFormat.Elf, NativeFormats.ForRuntimeIdentifier("linux-x64"));
        Assert.AreEqual(NativeFormat.Elf, NativeFormats.ForRuntimeIdentifier("linux-arm64"));
    }

    /// <summary>OutputType=WinExe: only the Subsystem field changes, from console (3) to GUI (2); a host that is not a
    /// PE32+ console executable is refused rather than patched blindly.</summary>
    [TestMethod]
    public void TheGraphicalSubsystemChangesOnlyTheSubsystemField()
    {
        byte[] console = HandMadePe.Build(["kernel32.dll"]).Bytes;

        byte[] gui = WindowsSubsystem.WithGraphicalSubsystem(console);

        Assert.AreEqual((ushort)3, WindowsSubsystem.Of(console));
        Assert.AreEqual((ushort)2, WindowsSubsystem.Of(gui));
        Assert.AreEqual(1, console.Zip(gui).Count(pair => pair.First != pair.Second), "only the Subsystem field's low byte (3 -> 2) differs");
        Assert.AreEqual(PackingErrorCodes.HostNotExecutable, Assert.ThrowsExactly<PackingException>(() => WindowsSubsystem.WithGraphicalSubsystem(gui)).Code);
        Assert.AreEqual(PackingErrorCodes.HostNotExecutable, Assert.ThrowsExactly<PackingException>(() => WindowsSubsystem.WithGraphicalSubsystem(SampleManifests.FakeHost)).Code);
        Assert.AreEqual(PackingErrorCodes.HostNotExecutable, Assert.ThrowsExactly<PackingException>(() => WindowsSubsystem.WithGraphicalSubsystem(console[..0x90])).Code);
    }
}

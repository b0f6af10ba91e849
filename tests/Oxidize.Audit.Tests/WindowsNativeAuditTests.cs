using System.Reflection;
using System.Reflection.PortableExecutable;
using Oxidize.Audit.Native;
using Oxidize.Audit.Native.Windows;
using Oxidize.Packing;
using Oxidize.Tests.Shared;

namespace Oxidize.Audit.Tests;

/// <summary>
/// The win-x64 native audit: PeImports on the real DLLs of the win-x64 runtime pack (downloaded when this project
/// restores) and on hand-made PE files, whole and damaged; WindowsNativeAudit's findings for imports that are neither
/// packed nor part of Windows, reported as OXSDK3003 like an ELF file's missing DT_NEEDED library.
/// </summary>
[TestClass]
public sealed class WindowsNativeAuditTests
{
    private static readonly NativePolicy Policy = new(NativePolicy.RuntimeGlibcFloor, new HashSet<string>(), FloorDeclared: false);

    private static string WindowsRuntimePack(string subfolder)
    {
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string version = typeof(WindowsNativeAuditTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(attribute => attribute.Key == "RuntimePackVersion").Value!;
        string directory = Path.Combine(packages, "microsoft.netcore.app.runtime.win-x64", version, "runtimes", "win-x64", subfolder);
        if (!File.Exists(Path.Combine(directory, subfolder == "native" ? "coreclr.dll" : "System.Private.CoreLib.dll")))
            Prerequisite.Missing($"the win-x64 runtime pack's {subfolder} files in {directory}, which restoring this test project downloads");
        return directory;
    }

    private static NativeBinary Packed(string name, byte[] content) => new(name, null, content);

    [TestMethod]
    public void CoreclrImportsKernel32AndTheUniversalCrtApiSets()
    {
        var info = PeImports.Read(File.ReadAllBytes(Path.Combine(WindowsRuntimePack("native"), "coreclr.dll")));

        Assert.AreEqual(Machine.Amd64, info.Machine);
        Assert.IsFalse(info.HasManagedMetadata);
        CollectionAssert.Contains(info.Imports.Select(name => name.ToLowerInvariant()).ToList(), "kernel32.dll");
        CollectionAssert.Contains(info.Imports.Select(name => name.ToLowerInvariant()).ToList(), "api-ms-win-crt-heap-l1-1-0.dll");
        Assert.IsTrue(info.Imports.All(WindowsSystemLibraries.IsPartOfWindows), string.Join(", ", info.Imports));
    }

    [TestMethod]
    public void TheClassifierTellsTheRuntimePacksDllsFromItsAssembliesForWindowsOnly()
    {
        var coreclr = File.ReadAllBytes(Path.Combine(WindowsRuntimePack("native"), "coreclr.dll"));
        var coreLib = File.ReadAllBytes(Path.Combine(WindowsRuntimePack("lib/net10.0"), "System.Private.CoreLib.dll"));

        Assert.AreEqual(ResourceKind.NativeLibrary, ResourceClassifier.Classify(coreclr, NativeFormat.Pe));
        Assert.AreEqual(ResourceKind.ManagedAssembly, ResourceClassifier.Classify(coreLib, NativeFormat.Pe));
        // For a Linux target a Windows DLL is only data.
        Assert.AreEqual(ResourceKind.Content, ResourceClassifier.Classify(coreclr, NativeFormat.Elf));
    }

    /// <summary>Every DLL of the runtime pack an oxidized win-x64 app packs imports only Windows and the pack itself.</summary>
    [TestMethod]
    public void TheWholeRuntimePackPassesWithoutFindings()
    {
        var binaries = Directory.GetFiles(WindowsRuntimePack("native"), "*.dll")
            .Select(path => Packed(Path.GetFileName(path), File.ReadAllBytes(path))).ToList();
        Assert.IsGreaterThanOrEqualTo(10, binaries.Count);

        var result = WindowsNativeAudit.Analyze(binaries, Policy, Machine.Amd64);

        Assert.IsEmpty(result.MissingLibraries, string.Join("; ", result.MissingLibraries));
        Assert.IsEmpty(result.Unreadable, string.Join("; ", result.Unreadable));
        Assert.HasCount(binaries.Count, result.Files);
        Assert.IsEmpty(result.GlibcTooNew);
    }

    [TestMethod]
    public void HandMadeImportsAndDelayImportsAreRead()
    {
        var pe = HandMadePe.Build(["KERNEL32.dll", "vcruntime140.dll"], ["user32.dll"]);

        var info = PeImports.Read(pe.Bytes);

        CollectionAssert.AreEqual(new[] { "KERNEL32.dll", "vcruntime140.dll" }, info.Imports.ToArray());
        CollectionAssert.AreEqual(new[] { "user32.dll" }, info.DelayImports.ToArray());
        Assert.AreEqual(ResourceKind.NativeLibrary, ResourceClassifier.Classify(pe.Bytes, NativeFormat.Pe));
    }

    /// <summary>An import that is neither packed nor part of Windows is a finding naming the DLL; a packed one (in another
    /// case: Windows compares names case-insensitively), an API set, a system DLL and an allowed one are not.</summary>
    [TestMethod]
    public void AnImportNeitherPackedNorPartOfWindowsIsMissing()
    {
        var native = HandMadePe.Build(["kernel32.dll", "api-ms-win-crt-runtime-l1-1-0.dll", "VCRUNTIME140.dll", "helper.dll", "licensed.dll", "MSVCP140.dll"]);
        var helper = HandMadePe.Build(["kernel32.dll"]);
        var policy = Policy with { AllowedLibraries = new HashSet<string> { "LICENSED.dll" } };

        var result = WindowsNativeAudit.Analyze([Packed("runtimes/win-x64/native/e_native.dll", native.Bytes), Packed("Helper.DLL", helper.Bytes)], policy, Machine.Amd64);

        CollectionAssert.AreEquivalent(new[] { "VCRUNTIME140.dll", "MSVCP140.dll" }, result.MissingLibraries.Select(finding => finding.Library).ToArray());
        Assert.IsTrue(result.MissingLibraries.All(finding => finding.File == "runtimes/win-x64/native/e_native.dll" && !finding.LoadsAtStartup && finding.Common is null));
    }

    /// <summary>What the runtime loads at startup (coreclr.dll and the packed DLLs it imports) fails the start when its
    /// import is missing; a delay import fails on first call only.</summary>
    [TestMethod]
    public void MissingImportsOfTheRuntimeFailAtStartupAndDelayImportsOnFirstUse()
    {
        var coreclr = HandMadePe.Build(["kernel32.dll", "helper.dll"], ["lazy.dll"]);
        var helper = HandMadePe.Build(["absent.dll"]);

        var result = WindowsNativeAudit.Analyze([Packed("coreclr.dll", coreclr.Bytes), Packed("helper.dll", helper.Bytes)], Policy, Machine.Amd64);

        var byLibrary = result.MissingLibraries.ToDictionary(finding => finding.Library);
        Assert.HasCount(2, byLibrary);
        Assert.IsTrue(byLibrary["absent.dll"].LoadsAtStartup, "helper.dll is imported by coreclr.dll, so it loads at startup");
        Assert.IsFalse(byLibrary["lazy.dll"].LoadsAtStartup, "a delay import loads on first call");
    }

    [TestMethod]
    public void ADllForAnotherMachineIsUnreadableNamingBothMachines()
    {
        var x86 = HandMadePe.Build(["kernel32.dll"], machine: HandMadePe.MachineI386);

        var result = WindowsNativeAudit.Analyze([Packed("x86.dll", x86.Bytes)], Policy, Machine.Amd64);

        Assert.HasCount(1, result.Unreadable);
        StringAssert.Contains(result.Unreadable[0].Reason, "I386");
        StringAssert.Contains(result.Unreadable[0].Reason, "Amd64");
    }

    [TestMethod]
    public void DamagedImportTablesGiveAReasonNotACrash()
    {
        string Reason(byte[] bytes) => Assert.ThrowsExactly<InvalidDataException>(() => PeImports.Read(bytes)).Message;

        StringAssert.Contains(Reason("MZ and nothing more"u8.ToArray()), "not a valid PE file");

        var outside = HandMadePe.Build(["kernel32.dll"]).WithImportNameRva(0, 0x9000);
        StringAssert.Contains(Reason(outside.Bytes), "lies in no section");

        // The name runs to the end of the section and the file without a terminating zero.
        var unterminated = HandMadePe.Build(["kernel32.dll"]);
        Array.Fill(unterminated.Bytes, (byte)'A', unterminated.FirstNameOffset, unterminated.Bytes.Length - unterminated.FirstNameOffset);
        StringAssert.Contains(Reason(unterminated.Bytes), "has no end");

        // The section claims more raw data than the file has: the table's terminator is past the end.
        var truncated = HandMadePe.Build(["kernel32.dll"]);
        StringAssert.Contains(Reason(truncated.Bytes[..(truncated.ImportTableOffset + 10)]), "outside the file");

        var binary = HandMadePe.Build(["kernel32.dll"]);
        binary.Bytes[binary.FirstNameOffset] = 0xC3;
        StringAssert.Contains(Reason(binary.Bytes), "non-ASCII");

        var audit = WindowsNativeAudit.Analyze([Packed("broken.dll", outside.Bytes)], Policy, Machine.Amd64);
        Assert.HasCount(1, audit.Unreadable);
        Assert.IsEmpty(audit.MissingLibraries);
    }

    /// <summary>Whatever a damaged file holds, the reader returns or throws InvalidDataException (the audit's OXSDK3004),
    /// never another exception out of the publish task: every truncation, and seeded byte changes in the headers and tables.</summary>
    [TestMethod]
    public void TruncatedAndCorruptedFilesOnlyEverGiveInvalidData()
    {
        byte[] original = HandMadePe.Build(["kernel32.dll", "helper.dll"], ["user32.dll"]).Bytes;
        int outcomes = 0;
        void Check(byte[] bytes)
        {
            try
            {
                PeImports.Read(bytes);
            }
            catch (InvalidDataException)
            {
            }
            outcomes++;
        }

        for (int length = 0; length < original.Length; length++)
            Check(original[..length]);
        var random = new Random(20);
        for (int round = 0; round < 20_000; round++)
        {
            byte[] corrupted = (byte[])original.Clone();
            for (int change = random.Next(1, 4); change > 0; change--)
                corrupted[random.Next(0, 0x300)] = (byte)random.Next(256);
            Check(corrupted);
        }
        Assert.AreEqual(original.Length + 20_000, outcomes);
    }

    [TestMethod]
    public void TheSystemListHasTheApiSetsAndNotTheVisualCppRuntime()
    {
        Assert.IsTrue(WindowsSystemLibraries.IsPartOfWindows("API-MS-WIN-CORE-SYNCH-L1-2-0.dll"));
        Assert.IsTrue(WindowsSystemLibraries.IsPartOfWindows("Kernel32.DLL"));
        Assert.IsFalse(WindowsSystemLibraries.IsPartOfWindows("vcruntime140.dll"));
        Assert.IsFalse(WindowsSystemLibraries.IsPartOfWindows("msvcp140.dll"));
        Assert.IsFalse(WindowsSystemLibraries.IsPartOfWindows("ext-ms-win-ntuser-window-l1-1-0.dll"));
    }
}

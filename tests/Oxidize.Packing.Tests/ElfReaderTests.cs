using Oxidize.Tests.Shared;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Oxidize.Packing.Elf;

namespace Oxidize.Packing.Tests;

/// <summary>
/// The C# ELF reader against GNU readelf on real files (the .NET runtime pack, the system zlib,
/// the repo's host, a library compiled here), then on damaged copies: every malformed input must
/// end in InvalidDataException, never another exception or a hang.
/// </summary>
[TestClass]
public sealed class ElfReaderTests
{
    private const string SystemZlib = "/usr/lib/x86_64-linux-gnu/libz.so.1";

    // ---- Real files, cross-checked with readelf ----

    [TestMethod]
    public void CoreclrMatchesReadelfAndRequiresGlibc227()
    {
        string coreclr = Path.Combine(RuntimeNativeDirectory(), "libcoreclr.so");
        var info = AssertMatchesReadelf(coreclr);

        Assert.AreEqual("libcoreclr.so", info.Soname);
        Assert.Contains("libstdc++.so.6", info.Needed);
        Assert.Contains("libc.so.6", info.Needed);
        Assert.AreEqual(ElfType.SharedObject, info.Type);
        Assert.IsFalse(info.IsPositionIndependentExecutable);
        Assert.IsNull(info.Interpreter);
        Assert.Contains("V1.0", info.DefinedVersions);

        // The floor computed independently from readelf's names (System.Version, no SymbolVersion).
        var readelfNames = Readelf.Of(coreclr).Requirements.Select(requirement => requirement.Version).ToList();
        var highest = SymbolVersion.HighestPerFamily(info.VersionRequirements);
        Assert.AreEqual(HighestFromText(readelfNames, "GLIBC_"), highest["GLIBC"].Version);
        Assert.AreEqual(new Version(2, 27), highest["GLIBC"].Version, "libcoreclr.so's glibc floor (docs say GLIBC_2.27)");
        Assert.AreEqual(HighestFromText(readelfNames, "GLIBCXX_"), highest["GLIBCXX"].Version);
        Assert.AreEqual(3, highest["GLIBCXX"].Version.Major);
        Assert.AreEqual(4, highest["GLIBCXX"].Version.Minor);
        Assert.AreEqual(HighestFromText(readelfNames, "CXXABI_"), highest["CXXABI"].Version);
        Assert.AreEqual(HighestFromText(readelfNames, "GCC_"), highest["GCC"].Version);
    }

    [TestMethod]
    public void EveryRuntimePackLibraryMatchesReadelf()
    {
        var libraries = Directory.GetFiles(RuntimeNativeDirectory(), "*.so").Order(StringComparer.Ordinal)
            .ToDictionary(path => Path.GetFileName(path), AssertMatchesReadelf);
        Assert.IsGreaterThan(5, libraries.Count);
        Assert.IsTrue(libraries.Values.All(library => library.Machine == ElfMachine.X86_64 && library.Is64Bit));
    }

    [TestMethod]
    public void SystemZlibMatchesReadelf()
    {
        if (!File.Exists(SystemZlib))
            Prerequisite.Missing($"{SystemZlib} (Debian package zlib1g)");
        var info = AssertMatchesReadelf(SystemZlib);
        Assert.AreEqual("libz.so.1", info.Soname);
        Assert.AreEqual(ElfType.SharedObject, info.Type);
        Assert.Contains("ZLIB_1.2.0", info.DefinedVersions);
        Assert.DoesNotContain("libz.so.1", info.DefinedVersions, "the VER_FLG_BASE entry is not a defined version");
    }

    [TestMethod]
    public void HostMatchesReadelfAndNeedsGlibc217AtMost()
    {
        var info = AssertMatchesReadelf(RepoPaths.Host);
        Assert.IsNull(info.Soname);
        CollectionAssert.AreEquivalent(new[] { "libdl.so.2", "libpthread.so.0", "libc.so.6" }, info.Needed.ToArray());
        Assert.AreEqual("/lib64/ld-linux-x86-64.so.2", info.Interpreter);
        Assert.IsTrue(info.Type == ElfType.Executable || info.IsPositionIndependentExecutable, "an executable, PIE or not");
        Assert.IsLessThanOrEqualTo(new Version(2, 17), SymbolVersion.HighestPerFamily(info.VersionRequirements)["GLIBC"].Version);
    }

    [TestMethod]
    public void CompiledLibraryWithRunpathAndVersionScriptMatchesReadelf()
    {
        string library = CompileDemoLibrary(newDtags: true);
        var info = AssertMatchesReadelf(library);
        Assert.AreEqual("libdemo.so.1", info.Soname);
        Assert.Contains("libz.so.1", info.Needed);
        Assert.IsTrue(info.HasRunpath);
        Assert.AreEqual("$ORIGIN/deps", info.Runpath);
        Assert.IsFalse(info.HasRpath);
        CollectionAssert.AreEqual(new[] { "DEMO_1.0", "DEMO_1.1" }, info.DefinedVersions.ToArray());
        Assert.Contains(new VersionRequirement("libz.so.1", "ZLIB_1.2.9"), info.VersionRequirements);
        Assert.AreEqual(new Version(1, 2, 9), SymbolVersion.HighestPerFamily(info.VersionRequirements)["ZLIB"].Version);
    }

    [TestMethod]
    public void CompiledLibraryWithOldStyleRpathMatchesReadelf()
    {
        var info = AssertMatchesReadelf(CompileDemoLibrary(newDtags: false));
        Assert.IsTrue(info.HasRpath);
        Assert.AreEqual("$ORIGIN/deps", info.Rpath);
        Assert.IsFalse(info.HasRunpath);
    }

    [TestMethod]
    public void SectionHeadersAreNotNeeded()
    {
        string coreclr = Path.Combine(RuntimeNativeDirectory(), "libcoreclr.so");
        byte[] original = File.ReadAllBytes(coreclr);
        byte[] stripped = (byte[])original.Clone();
        ulong sectionHeaders = BinaryPrimitives.ReadUInt64LittleEndian(stripped.AsSpan(40));
        int sectionHeaderBytes = BinaryPrimitives.ReadUInt16LittleEndian(stripped.AsSpan(58)) * BinaryPrimitives.ReadUInt16LittleEndian(stripped.AsSpan(60));
        stripped.AsSpan((int)sectionHeaders, sectionHeaderBytes).Fill(0xA5);
        BinaryPrimitives.WriteUInt64LittleEndian(stripped.AsSpan(40), 0); // e_shoff
        BinaryPrimitives.WriteUInt32LittleEndian(stripped.AsSpan(60), 0); // e_shnum, e_shstrndx

        AssertSameInfo(ElfFile.Read(original), ElfFile.Read(stripped), "libcoreclr.so without section headers");
        AssertSameInfo(ElfFile.Read(original), ElfFile.Read(stripped[..(int)sectionHeaders]), "libcoreclr.so cut before its section headers");
    }

    // ---- Symbol versions ----

    [TestMethod]
    public void SymbolVersionsCompareNumerically()
    {
        var parsed = SymbolVersion.Parse("GLIBC_2.27");
        Assert.AreEqual("GLIBC", parsed.Family);
        Assert.AreEqual(new Version(2, 27), parsed.Version);
        Assert.IsLessThan(0, SymbolVersion.Parse("GLIBC_2.3.4").CompareTo(SymbolVersion.Parse("GLIBC_2.14")));
        Assert.IsLessThan(0, SymbolVersion.Parse("GLIBC_2.9").CompareTo(SymbolVersion.Parse("GLIBC_2.10")));
        Assert.AreEqual(new Version(3, 4, 30), SymbolVersion.Parse("GLIBCXX_3.4.30").Version);
        Assert.AreEqual("CXXABI_TM", SymbolVersion.Parse("CXXABI_TM_1").Family);
        Assert.AreEqual("ZLIB_NG", SymbolVersion.Parse("ZLIB_NG_2.1.0").Family);
        Assert.AreEqual(new Version(1, 2, 0, 2), SymbolVersion.Parse("ZLIB_1.2.0.2").Version);
    }

    [TestMethod]
    [DataRow("GLIBC_PRIVATE")]
    [DataRow("CXXABI_FLOAT128")]
    [DataRow("V1.0")]
    [DataRow("GLIBC_")]
    [DataRow("_2.17")]
    [DataRow("GLIBC_2..17")]
    [DataRow("GLIBC_2.17.1.2.3")]
    [DataRow("GLIBC_99999999999.1")]
    [DataRow("GLIBC_-2.17")]
    [DataRow("")]
    public void NonNumericVersionsDoNotParse(string name)
    {
        Assert.IsFalse(SymbolVersion.TryParse(name, out _));
        Assert.ThrowsExactly<FormatException>(() => SymbolVersion.Parse(name));
    }

    [TestMethod]
    public void HighestPerFamilyIgnoresPrivateVersionsAndComparesNumerically()
    {
        VersionRequirement[] requirements =
        [
            new("libc.so.6", "GLIBC_2.14"), new("libc.so.6", "GLIBC_2.3.4"), new("libc.so.6", "GLIBC_PRIVATE"),
            new("libm.so.6", "GLIBC_2.27"), new("libpthread.so.0", "GLIBC_2.2.5"),
            new("libstdc++.so.6", "GLIBCXX_3.4.9"), new("libstdc++.so.6", "GLIBCXX_3.4.21"), new("libstdc++.so.6", "CXXABI_1.3.7"),
            new("libgcc_s.so.1", "GCC_3.0"), new("libgcc_s.so.1", "GCC_4.2.0"),
        ];
        var highest = SymbolVersion.HighestPerFamily(requirements);
        CollectionAssert.AreEqual(new[] { "CXXABI", "GCC", "GLIBC", "GLIBCXX" }, highest.Keys.ToArray());
        Assert.AreEqual("GLIBC_2.27", highest["GLIBC"].Name);
        Assert.AreEqual("GLIBCXX_3.4.21", highest["GLIBCXX"].Name);
        Assert.AreEqual("GCC_4.2.0", highest["GCC"].Name);
        Assert.AreEqual("CXXABI_1.3.7", highest["CXXABI"].Name);
    }

    // ---- System library policy ----

    // ---- Malformed input ----

    [TestMethod]
    public void EmptyAndNonElfInputIsRejected()
    {
        AssertRejected([], "Not an ELF file");
        AssertRejected("MZ\x90\0"u8.ToArray(), "Not an ELF file");
        Assert.ThrowsExactly<ArgumentNullException>(() => ElfFile.Read((byte[])null!));
    }

    [TestMethod]
    public void TruncatedHeaderIsRejected()
    {
        byte[] host = HostBytes();
        foreach (int length in new[] { 1, 4, 5, 6, 16, 20, 40, 63 })
            AssertRejected(host[..length], length < 4 ? "Not an ELF file" : "truncated");
    }

    [TestMethod]
    public void Elf32AndBigEndianAreRejectedAsUnsupported()
    {
        byte[] elf32 = HostBytes();
        elf32[4] = 1;
        StringAssert.Contains(AssertRejected(elf32, "Unsupported").Message, "32-bit");
        byte[] bigEndian = HostBytes();
        bigEndian[5] = 2;
        StringAssert.Contains(AssertRejected(bigEndian, "Unsupported").Message, "big-endian");
        byte[] unknownClass = HostBytes();
        unknownClass[4] = 7;
        AssertRejected(unknownClass, "class");
    }

    [TestMethod]
    public void ProgramHeaderTableOutOfRangeIsRejected()
    {
        byte[] bytes = HostBytes();
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(32), (ulong)bytes.Length - 100); // e_phoff
        AssertRejected(bytes, "program header table");

        bytes = HostBytes();
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(32), ulong.MaxValue - 8);
        AssertRejected(bytes, "program header table");

        bytes = HostBytes();
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(56), 0xFFFE); // e_phnum
        AssertRejected(bytes, "program header table");

        bytes = HostBytes();
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(54), 32); // e_phentsize
        AssertRejected(bytes, "e_phentsize");
    }

    [TestMethod]
    public void DynamicSegmentOutOfRangeIsRejected()
    {
        byte[] bytes = HostBytes();
        var dynamicHeader = TestElf.ProgramHeaders(bytes).Single(header => header.Type == 2);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(dynamicHeader.EntryOffset + 8), (ulong)bytes.Length - 16); // p_offset
        AssertRejected(bytes, "PT_DYNAMIC");

        bytes = HostBytes();
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(dynamicHeader.EntryOffset + 32), ulong.MaxValue); // p_filesz
        AssertRejected(bytes, "PT_DYNAMIC");
    }

    [TestMethod]
    public void DynamicSegmentWithoutTerminatorIsRejected()
    {
        byte[] bytes = HostBytes();
        var dynamicHeader = TestElf.ProgramHeaders(bytes).Single(header => header.Type == 2);
        int terminator = TestElf.DynamicEntries(bytes).FindIndex(entry => entry.Tag == 0);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(dynamicHeader.EntryOffset + 32), (ulong)terminator * 16);
        AssertRejected(bytes, "DT_NULL");
    }

    [TestMethod]
    public void LoadSegmentPastTheEndIsRejected()
    {
        byte[] bytes = HostBytes();
        var load = TestElf.ProgramHeaders(bytes).Last(header => header.Type == 1);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(load.EntryOffset + 32), (ulong)bytes.Length); // p_filesz
        AssertRejected(bytes, "PT_LOAD");
    }

    [TestMethod]
    public void StringOffsetsOutOfRangeAreRejected()
    {
        byte[] bytes = HostBytes();
        var entries = TestElf.DynamicEntries(bytes);
        ulong strsz = entries.Single(entry => entry.Tag == 10).Value;
        var needed = entries.First(entry => entry.Tag == 1);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(needed.Offset + 8), strsz + 5);
        AssertRejected(bytes, "string offset");

        bytes = HostBytes();
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(needed.Offset + 8), ulong.MaxValue);
        AssertRejected(bytes, "string offset");

        bytes = HostBytes();
        var strszEntry = entries.Single(entry => entry.Tag == 10);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(strszEntry.Offset + 8), 0x10000000);
        AssertRejected(bytes, "dynamic string table");

        bytes = HostBytes();
        var strtabEntry = entries.Single(entry => entry.Tag == 5);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(strtabEntry.Offset + 8), 0x7000_0000_0000);
        AssertRejected(bytes, "PT_LOAD");
    }

    [TestMethod]
    public void UnterminatedStringIsRejected()
    {
        byte[] bytes = HostBytes();
        var entries = TestElf.DynamicEntries(bytes);
        int strtab = TestElf.FileOffsetOf(bytes, entries.Single(entry => entry.Tag == 5).Value);
        int strsz = (int)entries.Single(entry => entry.Tag == 10).Value;
        bytes.AsSpan(strtab, strsz).Fill((byte)'x');
        AssertRejected(bytes, "NUL-terminated");
    }

    [TestMethod]
    public void CyclicOrBrokenVerneedChainsAreRejected()
    {
        // The host has one Verneed (libc.so.6) with four Vernaux entries.
        byte[] Patched(Action<byte[], int, int> patch)
        {
            byte[] bytes = HostBytes();
            var entries = TestElf.DynamicEntries(bytes);
            int verneed = TestElf.FileOffsetOf(bytes, entries.Single(entry => entry.Tag == 0x6ffffffe).Value);
            patch(bytes, verneed, entries.Single(entry => entry.Tag == 0x6fffffff).Offset);
            return bytes;
        }

        // vn_next pointing back at itself (-16 to a reader that took it as signed) with a count that asks to follow it.
        AssertRejected(Patched((bytes, verneed, count) =>
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(count + 8), 2);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(verneed + 12), 0xFFFFFFF0);
        }), "PT_LOAD");
        // The chain ends (vn_next 0) before DT_VERNEEDNUM entries.
        AssertRejected(Patched((bytes, verneed, count) => BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(count + 8), 3)), "chain ends");
        // A count no file can have.
        AssertRejected(Patched((bytes, verneed, count) => BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(count + 8), ulong.MaxValue)), "DT_VERNEEDNUM");
        // The first Vernaux's vna_next pointing back at the Verneed entry (a cycle to a signed reader).
        AssertRejected(Patched((bytes, verneed, count) =>
        {
            int aux = verneed + (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(verneed + 8));
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(aux + 12), unchecked((uint)-(aux - verneed)));
        }), "PT_LOAD");
        // vna_next 0 before vn_cnt entries; vn_aux out of the segment; an unknown vn_version.
        AssertRejected(Patched((bytes, verneed, count) => BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(verneed + 2), 9)), "chain ends");
        AssertRejected(Patched((bytes, verneed, count) => BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(verneed + 8), 0xFFFFFFFF)), "PT_LOAD");
        AssertRejected(Patched((bytes, verneed, count) => BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(verneed), 2)), "vn_version");
    }

    [TestMethod]
    public void EveryTruncationIsRejectedOrReadsTheSame()
    {
        byte[] host = HostBytes();
        var complete = ElfFile.Read(host);
        int loadedEnd = TestElf.ProgramHeaders(host).Where(header => header.Type is 1 or 2 or 3)
            .Max(header => (int)(header.Offset + header.FileSize));
        for (int length = 0; length < host.Length; length += length < 128 ? 1 : 7)
        {
            byte[] truncated = host[..length];
            if (length < loadedEnd)
                Assert.ThrowsExactly<InvalidDataException>(() => ElfFile.Read(truncated), $"truncated to {length} bytes");
            else
                AssertSameInfo(complete, ElfFile.Read(truncated), $"truncated to {length} bytes, after every segment");
        }
    }

    [TestMethod]
    public void RandomCorruptionOnlyEverRaisesInvalidDataException()
    {
        byte[] host = HostBytes();
        var interesting = new List<(int Start, int Length)> { (0, 64 + 11 * 56) };
        var dynamicHeader = TestElf.ProgramHeaders(host).Single(header => header.Type == 2);
        interesting.Add(((int)dynamicHeader.Offset, (int)dynamicHeader.FileSize));
        var entries = TestElf.DynamicEntries(host);
        interesting.Add((TestElf.FileOffsetOf(host, entries.Single(entry => entry.Tag == 0x6ffffffe).Value), 80));
        var random = new Random(20240601);
        int rejected = 0;
        for (int iteration = 0; iteration < 5000; iteration++)
        {
            byte[] bytes = (byte[])host.Clone();
            for (int flips = random.Next(1, 4); flips > 0; flips--)
            {
                var (start, length) = interesting[random.Next(interesting.Count)];
                bytes[start + random.Next(length)] = (byte)random.Next(256);
            }
            try
            {
                ElfFile.Read(bytes);
            }
            catch (InvalidDataException)
            {
                rejected++;
            }
        }
        Assert.IsGreaterThan(100, rejected, "the corruption should hit something");
    }

    // ---- Helpers ----

    private static byte[] HostBytes() => File.ReadAllBytes(RepoPaths.Host);

    private static InvalidDataException AssertRejected(byte[] bytes, string expectedInMessage)
    {
        var exception = Assert.ThrowsExactly<InvalidDataException>(() => ElfFile.Read(bytes));
        StringAssert.Contains(exception.Message, expectedInMessage);
        return exception;
    }

    private static Version HighestFromText(IEnumerable<string> names, string prefix) =>
        names.Where(name => name.StartsWith(prefix, StringComparison.Ordinal) && char.IsAsciiDigit(name[prefix.Length]))
            .Select(name => Version.Parse(name[prefix.Length..].Contains('.') ? name[prefix.Length..] : name[prefix.Length..] + ".0")).Max()!;

    private static void AssertSameInfo(ElfInfo expected, ElfInfo actual, string because)
    {
        Assert.AreEqual((expected.Is64Bit, expected.Machine, expected.Type, expected.Soname, expected.Interpreter, expected.Runpath, expected.Rpath, expected.IsPositionIndependentExecutable),
            (actual.Is64Bit, actual.Machine, actual.Type, actual.Soname, actual.Interpreter, actual.Runpath, actual.Rpath, actual.IsPositionIndependentExecutable), because);
        CollectionAssert.AreEqual(expected.Needed.ToArray(), actual.Needed.ToArray(), because);
        CollectionAssert.AreEqual(expected.VersionRequirements.ToArray(), actual.VersionRequirements.ToArray(), because);
        CollectionAssert.AreEqual(expected.DefinedVersions.ToArray(), actual.DefinedVersions.ToArray(), because);
    }

    /// <summary>Reads the file with the C# reader and checks every field against readelf's view of it.</summary>
    private static ElfInfo AssertMatchesReadelf(string path)
    {
        var info = ElfFile.Read(File.ReadAllBytes(path));
        var expected = Readelf.Of(path);
        string name = Path.GetFileName(path);
        Assert.IsTrue(info.Is64Bit, name);
        Assert.AreEqual(expected.Type, info.Type, name);
        Assert.AreEqual(expected.Machine, (int)info.Machine, name);
        Assert.AreEqual(expected.Soname, info.Soname, name);
        CollectionAssert.AreEqual(expected.Needed, info.Needed.ToArray(), $"{name}: DT_NEEDED");
        Assert.AreEqual(expected.Runpath, info.Runpath, name);
        Assert.AreEqual(expected.Rpath, info.Rpath, name);
        Assert.AreEqual(expected.Interpreter, info.Interpreter, name);
        Assert.AreEqual(expected.Pie, info.IsPositionIndependentExecutable, name);
        CollectionAssert.AreEqual(expected.Requirements, info.VersionRequirements.ToArray(), $"{name}: .gnu.version_r");
        CollectionAssert.AreEqual(expected.Definitions, info.DefinedVersions.ToArray(), $"{name}: .gnu.version_d");
        return info;
    }

    internal static string RuntimeNativeDirectory()
    {
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var candidates = new List<string>();
        string pack = Path.Combine(packages, "microsoft.netcore.app.runtime.linux-x64");
        if (Directory.Exists(pack))
            candidates.AddRange(Directory.GetDirectories(pack).OrderByDescending(VersionOf).Select(version => Path.Combine(version, "runtimes", "linux-x64", "native")));
        candidates.Add(Path.GetDirectoryName(typeof(object).Assembly.Location)!);
        const string shared = "/usr/share/dotnet/shared/Microsoft.NETCore.App";
        if (Directory.Exists(shared))
            candidates.AddRange(Directory.GetDirectories(shared).OrderByDescending(VersionOf));
        string? found = candidates.FirstOrDefault(directory => File.Exists(Path.Combine(directory, "libcoreclr.so")));
        if (found is null)
            Prerequisite.Missing("a linux-x64 runtime pack or shared runtime with libcoreclr.so (the .NET SDK)");
        return found!;

        static Version VersionOf(string directory) =>
            Version.TryParse(Path.GetFileName(directory).Split('-')[0], out var version) ? version : new Version(0, 0);
    }

    private static string CompileDemoLibrary(bool newDtags)
    {
        if (!Tool.Exists("gcc"))
            Prerequisite.Missing("gcc");
        string directory = TestScratch.NewDirectory("elf-demo-library");
        File.WriteAllText(Path.Combine(directory, "demo.c"), """
            #include <stddef.h>
            /* From zlib.h, declared here so no development headers are needed. */
            extern unsigned long crc32_z(unsigned long crc, const unsigned char *buf, size_t len);
            extern const char *zlibVersion(void);
            unsigned long demo_crc(const unsigned char *buf, size_t len) { return crc32_z(0, buf, len); }
            const char *demo_zlib(void) { return zlibVersion(); }
            """);
        File.WriteAllText(Path.Combine(directory, "demo.map"), """
            DEMO_1.0 { global: demo_zlib; local: *; };
            DEMO_1.1 { global: demo_crc; } DEMO_1.0;
            """);
        string output = Path.Combine(directory, "libdemo.so.1");
        var result = Tool.Run("gcc", "-shared", "-fPIC", "-O2", "-o", output, Path.Combine(directory, "demo.c"),
            "-Wl,-soname,libdemo.so.1", "-Wl,--version-script," + Path.Combine(directory, "demo.map"),
            newDtags ? "-Wl,--enable-new-dtags" : "-Wl,--disable-new-dtags", "-Wl,-rpath,$ORIGIN/deps", "-lz");
        if (result.ExitCode != 0 && result.Stderr.Contains("-lz", StringComparison.Ordinal))
            Prerequisite.Missing("zlib's link library libz.so (Debian package zlib1g-dev): " + result.Stderr);
        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        return output;
    }

    /// <summary>Runs a system tool with the C locale (readelf's output is parsed).</summary>
    private static class Tool
    {
        public static bool Exists(string name) =>
            (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(directory => File.Exists(Path.Combine(directory, name)));

        public static NativeTool.Result Run(string tool, params string[] arguments)
        {
            var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string argument in arguments)
                start.ArgumentList.Add(argument);
            start.Environment["LC_ALL"] = "C";
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"{tool} {string.Join(' ', arguments)} did not finish in 60 s");
            }
            return new NativeTool.Result(process.ExitCode, stdout.Result, stderr.Result);
        }
    }

    /// <summary>GNU readelf's view of a file (-h, -l, -d, -V), parsed from its text output: an independent implementation.</summary>
    private sealed record Readelf(
        ElfType Type, int Machine, string? Soname, string[] Needed, string? Runpath, string? Rpath, string? Interpreter, bool Pie,
        VersionRequirement[] Requirements, string[] Definitions)
    {
        public static Readelf Of(string path)
        {
            if (!Tool.Exists("readelf"))
                Prerequisite.Missing("readelf (Debian package binutils)");
            string header = Output(path, "-h");
            string type = Regex.Match(header, @"^\s*Type:\s+(\S+)", RegexOptions.Multiline).Groups[1].Value;
            string machine = Regex.Match(header, @"^\s*Machine:\s+(.+)$", RegexOptions.Multiline).Groups[1].Value.Trim();
            string segments = Output(path, "-l");
            string dynamicSection = Output(path, "-d");
            string Bracketed(string tag) => Regex.Matches(dynamicSection, $@"\({tag}\)\s+[^\[\n]*\[([^\]\n]*)\]").Select(match => match.Groups[1].Value).LastOrDefault()!;
            var interpreter = Regex.Match(segments, @"\[Requesting program interpreter: ([^\]\n]+)\]");
            var flags1 = Regex.Match(dynamicSection, @"\(FLAGS_1\)\s+Flags:([^\n]*)");

            var requirements = new List<VersionRequirement>();
            var definitions = new List<string>();
            string? section = null, file = null;
            foreach (string line in Output(path, "-V").Split('\n'))
            {
                if (line.StartsWith("Version ", StringComparison.Ordinal))
                    section = line;
                else if (section?.StartsWith("Version needs", StringComparison.Ordinal) == true && Regex.Match(line, @"^\s*\S+: Version: \d+\s+File: (\S+)\s+Cnt:") is { Success: true } verneed)
                    file = verneed.Groups[1].Value;
                else if (section?.StartsWith("Version needs", StringComparison.Ordinal) == true && Regex.Match(line, @"^\s*\S+:\s+Name: (\S+)\s+Flags: (.*?)\s+Version:") is { Success: true } vernaux)
                    requirements.Add(new VersionRequirement(file!, vernaux.Groups[1].Value, vernaux.Groups[2].Value.Contains("WEAK", StringComparison.Ordinal)));
                else if (section?.StartsWith("Version definition", StringComparison.Ordinal) == true && Regex.Match(line, @"^\s*\S+: Rev: \d+\s+Flags: (.*?)\s+Index: \d+\s+Cnt: \d+\s+Name: (\S+)") is { Success: true } verdef
                    && !verdef.Groups[1].Value.Contains("BASE", StringComparison.Ordinal))
                    definitions.Add(verdef.Groups[2].Value);
            }

            return new Readelf(
                Type: type switch { "DYN" => ElfType.SharedObject, "EXEC" => ElfType.Executable, "REL" => ElfType.Relocatable, _ => throw new InvalidOperationException("readelf type " + type) },
                Machine: machine.Contains("X86-64", StringComparison.Ordinal) ? 62 : machine.Contains("AArch64", StringComparison.Ordinal) ? 183 : -1,
                Soname: Bracketed("SONAME"),
                Needed: Regex.Matches(dynamicSection, @"\(NEEDED\)\s+Shared library: \[([^\]\n]*)\]").Select(match => match.Groups[1].Value).ToArray(),
                Runpath: Bracketed("RUNPATH"),
                Rpath: Bracketed("RPATH"),
                Interpreter: interpreter.Success ? interpreter.Groups[1].Value : null,
                Pie: flags1.Success && flags1.Groups[1].Value.Split(' ').Contains("PIE"),
                Requirements: [.. requirements],
                Definitions: [.. definitions]);
        }

        private static string Output(string path, string option)
        {
            var result = Tool.Run("readelf", option, "-W", path);
            Assert.AreEqual(0, result.ExitCode, $"readelf {option} {path}: {result.Stderr}");
            return result.Stdout;
        }
    }

    /// <summary>Just enough independent ELF64 parsing to find the bytes the damage tests patch.</summary>
    private static class TestElf
    {
        public sealed record ProgramHeader(int EntryOffset, uint Type, ulong Offset, ulong Address, ulong FileSize);

        public sealed record DynamicEntry(int Offset, long Tag, ulong Value);

        public static List<ProgramHeader> ProgramHeaders(byte[] bytes)
        {
            int table = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(32));
            int count = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(56));
            return Enumerable.Range(0, count).Select(index => table + index * 56).Select(entry => new ProgramHeader(entry,
                BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(entry)),
                BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(entry + 8)),
                BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(entry + 16)),
                BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(entry + 32)))).ToList();
        }

        public static List<DynamicEntry> DynamicEntries(byte[] bytes)
        {
            var dynamicHeader = ProgramHeaders(bytes).Single(header => header.Type == 2);
            return Enumerable.Range(0, (int)dynamicHeader.FileSize / 16).Select(index => (int)dynamicHeader.Offset + index * 16).Select(entry => new DynamicEntry(entry,
                BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(entry)),
                BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(entry + 8)))).ToList();
        }

        public static int FileOffsetOf(byte[] bytes, ulong address)
        {
            var load = ProgramHeaders(bytes).Single(header => header.Type == 1 && address >= header.Address && address < header.Address + header.FileSize);
            return (int)(load.Offset + (address - load.Address));
        }
    }
}

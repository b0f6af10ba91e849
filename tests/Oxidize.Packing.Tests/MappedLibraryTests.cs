using System.Buffers.Binary;
using Oxidize.Packing.Elf;
using Oxidize.Tests.Shared;

namespace Oxidize.Packing.Tests;

/// <summary>Which native libraries the host's ELF loader maps (MappedLibraryCheck, MappedLibraries), and how the
/// writer and both readers treat the mapped-library entry flag (docs/format.md).</summary>
[TestClass]
public sealed class MappedLibraryTests
{
    private static byte[] CompileLibrary(string directory, string name, string source, params string[] extraArguments)
    {
        if (!File.Exists("/usr/bin/gcc"))
            Prerequisite.Missing("gcc");
        File.WriteAllText(Path.Combine(directory, name + ".c"), source);
        var result = NativeTool.Run("gcc", ["-shared", "-fPIC", "-O2", "-o", Path.Combine(directory, name), Path.Combine(directory, name + ".c"), .. extraArguments]);
        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        return File.ReadAllBytes(Path.Combine(directory, name));
    }

    [TestMethod]
    [DataRow("libcoreclr.so")]
    [DataRow("libclrjit.so")]
    [DataRow("libSystem.Native.so")]
    public void TheRuntimesOwnLibrariesAreMappable(string name)
    {
        byte[] library = File.ReadAllBytes(Path.Combine(ElfReaderTests.RuntimeNativeDirectory(), name));
        Assert.IsNull(MappedLibraryCheck.WhyNotMappable(library));
    }

    [TestMethod]
    public void AnOrdinaryCLibraryWithItsOwnThreadLocalsIsMappable()
    {
        string directory = TestScratch.NewDirectory("mapped-library");
        byte[] library = CompileLibrary(directory, "libplain.so",
            "#include <stdio.h>\nstatic __thread int calls; int counter(void) { return ++calls; } void hello(void) { puts(\"hi\"); }");
        Assert.IsNull(MappedLibraryCheck.WhyNotMappable(library));
    }

    [TestMethod]
    public void WhatTheLoaderDoesNotHandleIsRefusedWithTheReason()
    {
        string directory = TestScratch.NewDirectory("mapped-library");
        byte[] initialExec = CompileLibrary(directory, "libie.so",
            "__thread int value __attribute__((tls_model(\"initial-exec\"))); int get(void) { return value; }");
        StringAssert.Contains(MappedLibraryCheck.WhyNotMappable(initialExec), "initial-exec");

        byte[] ifunc = CompileLibrary(directory, "libifunc.so",
            "static int impl(void) { return 1; } static void *pick(void) { return (void *)impl; }\n"
            + "int chosen(void) __attribute__((ifunc(\"pick\"))); int call(void) { return chosen(); }");
        StringAssert.Contains(MappedLibraryCheck.WhyNotMappable(ifunc), "IFUNC");

        byte[] foreignTls = CompileLibrary(directory, "libforeign.so", "extern __thread int elsewhere; int get(void) { return elsewhere; }",
            "-Wl,--unresolved-symbols=ignore-all");
        StringAssert.Contains(MappedLibraryCheck.WhyNotMappable(foreignTls), "another library's thread-local variable");

        StringAssert.Contains(MappedLibraryCheck.WhyNotMappable("not an ELF file at all"u8), "not an ELF file");
        byte[] arm64 = (byte[])File.ReadAllBytes(Path.Combine(ElfReaderTests.RuntimeNativeDirectory(), "libSystem.Native.so")).Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(arm64.AsSpan(18), 183); // EM_AARCH64
        StringAssert.Contains(MappedLibraryCheck.WhyNotMappable(arm64), "x86-64");
    }

    [TestMethod]
    public void ALibraryThatAMemfdLibraryNeedsStaysWithGlibcToo()
    {
        string directory = TestScratch.NewDirectory("mapped-library");
        byte[] leaf = CompileLibrary(directory, "libleaf.so", "int leaf(void) { return 1; }", "-Wl,-soname,libleaf.so");
        byte[] top = CompileLibrary(directory, "libtop.so",
            "__thread int value __attribute__((tls_model(\"initial-exec\"))); int leaf(void); int top(void) { return leaf() + value; }",
            "-L" + directory, "-lleaf");
        byte[] alone = CompileLibrary(directory, "libalone.so", "int alone(void) { return 3; }");
        var resources = NativeDependencies.Resolve(
        [
            new PackedResource("libleaf.so", ResourceKind.NativeLibrary, leaf),
            new PackedResource("libtop.so", ResourceKind.NativeLibrary, top),
            new PackedResource("libalone.so", ResourceKind.NativeLibrary, alone),
            new PackedResource("App.dll", ResourceKind.ManagedAssembly, [1]),
        ]);

        var chosen = MappedLibraries.Choose(resources, keptStored: null, out var notMapped);

        CollectionAssert.AreEquivalent(new[] { "libalone.so" }, chosen.Where(resource => resource.MappedLibrary).Select(resource => resource.Name).ToArray());
        var reasons = notMapped.ToDictionary(pair => pair.Library, pair => pair.Reason);
        StringAssert.Contains(reasons["libtop.so"], "initial-exec");
        StringAssert.Contains(reasons["libleaf.so"], "libtop.so");
    }

    [TestMethod]
    public void AMappedLibraryIsWrittenStoredPageAlignedAndFlaggedEvenUnderCompression()
    {
        byte[] compressible = new byte[64 * 1024];
        var manifest = SampleManifests.Small(
        [
            new PackedResource("libmapped.so", ResourceKind.NativeLibrary, compressible) { MappedLibrary = true },
            new PackedResource("libcopied.so", ResourceKind.NativeLibrary, compressible),
        ]);
        manifest = new PayloadManifest
        {
            RuntimeVersion = manifest.RuntimeVersion, RuntimeIdentifier = manifest.RuntimeIdentifier, EntryAssemblyName = manifest.EntryAssemblyName,
            Properties = manifest.Properties, Resources = manifest.Resources, Compression = Compression.Lz4,
        };
        string path = NativeTool.WriteExecutable(SampleManifests.Executable(manifest), "mapped");

        using var reader = PackedResourcesReader.Open(path);
        var entries = reader.Entries.ToDictionary(entry => entry.Name);
        byte[] image = File.ReadAllBytes(path);
        ulong payloadOffset = BinaryPrimitives.ReadUInt64LittleEndian(image.AsSpan(image.Length - FormatConstants.TrailerSize + FormatConstants.TrailerOffsetPayloadOffset));
        var flags = reader.Entries.Select((entry, index) => (entry.Name, Flags: BinaryPrimitives.ReadUInt32LittleEndian(
            image.AsSpan((int)payloadOffset + FormatConstants.HeaderSize + index * FormatConstants.EntrySize + FormatConstants.EntryOffsetFlags)))).ToList();
        CollectionAssert.AreEqual(new[] { ("libmapped.so", (uint)FormatConstants.EntryFlagMappedLibrary) },
            flags.Where(entry => entry.Flags != 0).ToArray(), "only the mapped library carries the flag");
        Assert.AreEqual(0L, entries["libmapped.so"].FileOffset % FormatConstants.LibraryAlignment, "page-aligned in the file");
        Assert.AreEqual(FormatConstants.CodecStored, entries["libmapped.so"].Codec, "the mapped library is never compressed");
        Assert.AreEqual(FormatConstants.CodecLz4, entries["libcopied.so"].Codec, "the same bytes, not mapped, are compressed");
    }
}

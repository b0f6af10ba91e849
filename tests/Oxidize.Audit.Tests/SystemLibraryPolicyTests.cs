using Oxidize.Audit.Native;
using Oxidize.Packing.Elf;
using Oxidize.Tests.Shared;

namespace Oxidize.Audit.Tests;

/// <summary>
/// Which sonames an executable may take from the target system (SystemLibraryPolicy): the lists themselves, the
/// unsatisfied-dependency check on made-up libraries, and the real runtime libraries and host against it.
/// </summary>
[TestClass]
public sealed class SystemLibraryPolicyTests
{
    [TestMethod]
    [DataRow("libc.so.6", SystemLibraryKind.BaseSystem)]
    [DataRow("libm.so.6", SystemLibraryKind.BaseSystem)]
    [DataRow("libdl.so.2", SystemLibraryKind.BaseSystem)]
    [DataRow("libpthread.so.0", SystemLibraryKind.BaseSystem)]
    [DataRow("libgcc_s.so.1", SystemLibraryKind.BaseSystem)]
    [DataRow("libstdc++.so.6", SystemLibraryKind.BaseSystem)]
    [DataRow("ld-linux-x86-64.so.2", SystemLibraryKind.BaseSystem)]
    [DataRow("libz.so.1", SystemLibraryKind.BaseSystem)]
    [DataRow("libicuuc.so.72", SystemLibraryKind.OptionalRuntime)]
    [DataRow("libicui18n.so.74.2", SystemLibraryKind.OptionalRuntime)]
    [DataRow("libicudata.so.67", SystemLibraryKind.OptionalRuntime)]
    [DataRow("libssl.so.3", SystemLibraryKind.OptionalRuntime)]
    [DataRow("libcrypto.so.1.1", SystemLibraryKind.OptionalRuntime)]
    [DataRow("libgssapi_krb5.so.2", SystemLibraryKind.OptionalRuntime)]
    [DataRow("liblttng-ust.so.0", SystemLibraryKind.OptionalRuntime)]
    [DataRow("libcrypt.so.1", SystemLibraryKind.NotAllowed)]
    [DataRow("libnsl.so.1", SystemLibraryKind.NotAllowed)]
    [DataRow("libX11.so.6", SystemLibraryKind.NotAllowed)]
    [DataRow("libssl.so.1.0.0", SystemLibraryKind.NotAllowed)]
    [DataRow("libicuuc.so.72x", SystemLibraryKind.NotAllowed)]
    [DataRow("LIBC.SO.6", SystemLibraryKind.NotAllowed)]
    [DataRow("libSkiaSharp.so", SystemLibraryKind.NotAllowed)]
    public void PolicyClassifiesSonames(string soname, SystemLibraryKind expected)
    {
        Assert.AreEqual(expected, SystemLibraryPolicy.Classify(soname));
        Assert.AreEqual(expected != SystemLibraryKind.NotAllowed, SystemLibraryPolicy.IsAllowed(soname));
    }

    [TestMethod]
    public void UnsatisfiedDependenciesAreThoseNeitherPackedNorAllowed()
    {
        static ElfInfo Library(string? soname, params string[] needed) => new()
        {
            Is64Bit = true, Machine = ElfMachine.X86_64, Type = ElfType.SharedObject, Soname = soname,
            Needed = needed, VersionRequirements = [], DefinedVersions = [],
        };
        var packed = new Dictionary<string, ElfInfo>
        {
            // Packed under its file name, found by its soname.
            ["libfoo.so.1.2.3"] = Library("libfoo.so.1", "libc.so.6"),
            ["libbar.so"] = Library(null, "libfoo.so.1", "libbaz.so", "libqux.so.2", "libqux.so.2", "libm.so.6", "libssl.so.3"),
            ["libbaz.so"] = Library("libbaz.so", "libX11.so.6", "libstdc++.so.6"),
        };
        var unsatisfied = SystemLibraryPolicy.FindUnsatisfiedDependencies(packed);
        CollectionAssert.AreEqual(new[] { "libbar.so", "libbaz.so" }, unsatisfied.Keys.ToArray());
        CollectionAssert.AreEqual(new[] { "libqux.so.2" }, unsatisfied["libbar.so"].ToArray());
        CollectionAssert.AreEqual(new[] { "libX11.so.6" }, unsatisfied["libbaz.so"].ToArray());
    }

    [TestMethod]
    public void RuntimeLibrariesNeedOnlyPackedOrAllowedLibraries()
    {
        var libraries = Directory.GetFiles(Fixtures.RuntimeNativeDirectory(), "*.so").Order(StringComparer.Ordinal)
            .ToDictionary(path => Path.GetFileName(path), path => ElfFile.Read(File.ReadAllBytes(path)));
        Assert.IsGreaterThan(5, libraries.Count);

        Assert.IsEmpty(SystemLibraryPolicy.FindUnsatisfiedDependencies(libraries),
            "the runtime needs only its own libraries, glibc/GCC, and optional runtime libraries");

        // Without libmscordaccore.so packed, libmscordbi.so's dependency on it is reported.
        if (libraries.ContainsKey("libmscordbi.so") && libraries.Remove("libmscordaccore.so"))
        {
            var unsatisfied = SystemLibraryPolicy.FindUnsatisfiedDependencies(libraries);
            Assert.HasCount(1, unsatisfied);
            CollectionAssert.AreEqual(new[] { "libmscordaccore.so" }, unsatisfied["libmscordbi.so"].ToArray());
        }
    }

    [TestMethod]
    public void HostNeedsOnlyAllowedLibraries()
    {
        string host = Path.Combine(Fixtures.RepoRoot(), "artifacts", "host", "oxidize-host");
        if (!File.Exists(host))
            Prerequisite.Missing($"{host} (run ./build.sh)");
        ElfInfo info = ElfFile.Read(File.ReadAllBytes(host));
        Assert.IsNotEmpty(info.Needed);
        Assert.IsTrue(info.Needed.All(SystemLibraryPolicy.IsAllowed), string.Join(", ", info.Needed));
    }
}

using Oxidize.Tests.Shared;
using System.Text;
using Oxidize.Audit.Native;

namespace Oxidize.Audit.Tests;

/// <summary>The record of the statically linked C library that the bundled-userland bootstrap carries for the bill of materials.</summary>
[TestClass]
public sealed class StaticLibcMarkerTests
{
    [TestMethod]
    public void FindsTheRecordAmongOtherBytes()
    {
        byte[] binary = [0x7F, .. "ELF\0garbage\0"u8, .. "oxidize-static-libc=musl;1.2.3-1;MIT\0"u8, .. "more\0"u8];

        Assert.AreEqual(new StaticLibc("musl", "1.2.3-1", "MIT"), StaticLibcMarker.Find(binary));
    }

    [TestMethod]
    [DataRow("no record here\0")]
    [DataRow("oxidize-static-libc=musl;1.2.3-1\0")]
    [DataRow("oxidize-static-libc=musl;;MIT\0")]
    [DataRow("oxidize-static-libc=musl;1.2.3-1;MIT")]
    public void MissingOrMalformedRecordIsNull(string content) =>
        Assert.IsNull(StaticLibcMarker.Find(Encoding.UTF8.GetBytes(content)));

    [TestMethod]
    public void TheBuiltBootstrapRecordsTheMuslItLinks()
    {
        string bootstrap = Path.Combine(Fixtures.RepoRoot(), "artifacts", "host", "oxidize-bootstrap");
        if (!File.Exists(bootstrap))
            Prerequisite.Missing(bootstrap);

        var libc = StaticLibcMarker.Find(File.ReadAllBytes(bootstrap));

        Assert.IsNotNull(libc);
        Assert.AreEqual(("musl", "MIT"), (libc.Name, libc.License));
        Assert.AreNotEqual("unknown", libc.Version, "the build found musl-dev's version");
    }
}

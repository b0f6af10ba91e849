using System.IO.Compression;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// The app-facing Oxidize.Resources package exposes its API and nothing else: the format library's types it compiles
/// from shared source (PackedResourcesReader, FormatConstants, ResourceKind, ...) are internal there (issue 14), so an
/// app cannot come to depend on them.
/// </summary>
[TestClass]
public sealed class ResourcesPackageApiTests
{
    [TestMethod]
    public void OnlyAppResourcesIsPublic()
    {
        string package = Path.Combine(RepoPaths.PackagesFolder, $"Oxidize.Resources.{RepoPaths.OxidizeVersion}.nupkg");
        Assert.IsTrue(File.Exists(package), $"{package} is missing: run ./build.sh first");
        using ZipArchive archive = ZipFile.OpenRead(package);
        ZipArchiveEntry dll = archive.Entries.Single(entry => entry.FullName == "lib/net10.0/Oxidize.Resources.dll");
        using var bytes = new MemoryStream();
        using (Stream stream = dll.Open())
            stream.CopyTo(bytes);
        bytes.Position = 0;
        using var pe = new PEReader(bytes);
        MetadataReader metadata = pe.GetMetadataReader();

        var types = metadata.TypeDefinitions.Select(metadata.GetTypeDefinition).ToList();
        var publicTypes = types
            .Where(type => (type.Attributes & TypeAttributes.VisibilityMask) == TypeAttributes.Public)
            .Select(type => $"{metadata.GetString(type.Namespace)}.{metadata.GetString(type.Name)}")
            .ToList();
        Assert.IsTrue(types.Any(type => metadata.GetString(type.Name) == "PackedResourcesReader"), "the reader is compiled in");
        CollectionAssert.AreEquivalent(new[] { "Oxidize.Resources.AppResources" }, publicTypes);
    }
}

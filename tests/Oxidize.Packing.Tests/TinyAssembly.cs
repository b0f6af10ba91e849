using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Oxidize.Packing.Tests;

/// <summary>Real (if empty) managed assemblies with chosen AssemblyRef tables, emitted with System.Reflection.Metadata.</summary>
internal static class TinyAssembly
{
    public static byte[] Build(string simpleName, params string[] references)
    {
        var metadata = new MetadataBuilder();
        metadata.AddModule(0, metadata.GetOrAddString(simpleName + ".dll"), metadata.GetOrAddGuid(Guid.Empty), default, default);
        metadata.AddAssembly(metadata.GetOrAddString(simpleName), new Version(1, 0, 0, 0), default, default, default, AssemblyHashAlgorithm.Sha1);
        foreach (string reference in references)
            metadata.AddAssemblyReference(metadata.GetOrAddString(reference), new Version(1, 0, 0, 0), default, default, default, default);
        metadata.AddTypeDefinition(default, default, metadata.GetOrAddString("<Module>"), default,
            MetadataTokens.FieldDefinitionHandle(1), MetadataTokens.MethodDefinitionHandle(1));
        var builder = new ManagedPEBuilder(PEHeaderBuilder.CreateLibraryHeader(), new MetadataRootBuilder(metadata), new BlobBuilder(),
            deterministicIdProvider: _ => new BlobContentId(Guid.Empty, 0));
        var image = new BlobBuilder();
        builder.Serialize(image);
        return image.ToArray();
    }
}

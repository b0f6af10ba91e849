using Oxidize.Tool.Contents;

namespace Oxidize.Tool.Commands;

/// <summary>`dotnet oxidize bom FILE`: the packed CycloneDX bill of materials, byte for byte, on stdout.</summary>
public static class BomCommand
{
    public static int Run(string path, Stream output)
    {
        using var reader = ExecutableFile.Open(path);
        if (!reader.TryFind(BillOfMaterials.EntryName, out var entry))
            throw new ToolException(ExitCodes.NotRecorded, $"{path} carries no bill of materials ({BillOfMaterials.EntryName}): it was published with OxidizeAudit=false.");
        output.Write(ExecutableFile.Read(reader, entry, path));
        output.Flush();
        return ExitCodes.Success;
    }
}

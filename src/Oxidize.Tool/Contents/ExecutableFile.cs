using Oxidize.Packing;

namespace Oxidize.Tool.Contents;

/// <summary>Opens an oxidized executable with the C# payload reader, turning every way that can fail into a ToolException.</summary>
public static class ExecutableFile
{
    public static PackedResourcesReader Open(string path)
    {
        if (Directory.Exists(path))
            throw new ToolException(ExitCodes.UnreadableInput, $"{path} is a folder, not an executable.");
        try
        {
            // The reader refuses these too, but with a message of its own shape; the tool's all start the same way.
            long length = new FileInfo(path).Length;
            if (length < FormatConstants.TrailerSize)
                throw new ToolException(ExitCodes.InvalidExecutable, $"{path}: Not a valid Oxidize executable: the file has {length} bytes, too few for an Oxidize trailer.");
            return PackedResourcesReader.Open(path);
        }
        catch (InvalidDataException invalid)
        {
            throw new ToolException(ExitCodes.InvalidExecutable, $"{path}: {invalid.Message}");
        }
        catch (Exception unreadable) when (unreadable is IOException or UnauthorizedAccessException)
        {
            throw new ToolException(ExitCodes.UnreadableInput, $"cannot read {path}: {unreadable.Message}");
        }
    }

    /// <summary>The entry's original bytes; a block that does not decode is a damaged executable.</summary>
    public static byte[] Read(PackedResourcesReader reader, PackedEntry entry, string path)
    {
        try
        {
            return reader.ReadEntry(entry);
        }
        catch (InvalidDataException invalid)
        {
            throw new ToolException(ExitCodes.InvalidExecutable, $"{path}: {invalid.Message}");
        }
    }
}

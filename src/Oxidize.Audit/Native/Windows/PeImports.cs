using System.Buffers.Binary;
using System.Reflection.PortableExecutable;
using System.Text;

namespace Oxidize.Audit.Native.Windows;

/// <summary>
/// What a PE image (a Windows DLL or executable) needs from other DLLs: the machine it is built for, the DLLs its
/// import directory names (loaded with it) and those its delay-import directory names (loaded on first call).
/// </summary>
public sealed record PeImportInfo(Machine Machine, bool HasManagedMetadata, IReadOnlyList<string> Imports, IReadOnlyList<string> DelayImports);

/// <summary>
/// Reads <see cref="PeImportInfo"/> from a PE file's bytes. The headers and section table come from
/// System.Reflection.PortableExecutable (bounds-checked); the import descriptors, which it does not parse, are read
/// here with every offset checked against the file, so a damaged file gives an InvalidDataException naming what is
/// wrong, never an exception from outside the file.
/// </summary>
public static class PeImports
{
    // IMAGE_IMPORT_DESCRIPTOR: OriginalFirstThunk, TimeDateStamp, ForwarderChain, Name, FirstThunk (5 x u32).
    private const int ImportDescriptorSize = 20;
    private const int ImportNameOffset = 12;

    // ImgDelayDescr: Attributes, DllNameRVA, ModuleHandleRVA, ImportAddressTableRVA, ImportNameTableRVA,
    // BoundImportAddressTableRVA, UnloadInformationTableRVA, TimeDateStamp (8 x u32).
    private const int DelayDescriptorSize = 32;
    private const int DelayNameOffset = 4;

    // Windows limits a module name to MAX_PATH; a longer "name" is a damaged table.
    private const int MaxNameLength = 260;

    // A real DLL imports from tens of DLLs; a table that does not end within this many is damaged.
    private const int MaxDescriptors = 4096;

    public static PeImportInfo Read(byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        PEHeaders headers;
        try
        {
            headers = new PEHeaders(new MemoryStream(content, writable: false));
        }
        catch (BadImageFormatException exception)
        {
            throw new InvalidDataException($"it is not a valid PE file ({exception.Message})", exception);
        }
        if (headers.PEHeader is not { } optional)
            throw new InvalidDataException("it is a COFF object file, not a PE image");

        var imports = ReadNames(content, headers, optional.ImportTableDirectory, ImportDescriptorSize, ImportNameOffset, "import");
        var delayImports = ReadNames(content, headers, optional.DelayImportTableDirectory, DelayDescriptorSize, DelayNameOffset, "delay-import");
        return new PeImportInfo(headers.CoffHeader.Machine, headers.CorHeader is not null, imports, delayImports);
    }

    private static List<string> ReadNames(byte[] content, PEHeaders headers, DirectoryEntry directory, int descriptorSize, int nameOffset, string what)
    {
        var names = new List<string>();
        if (directory.RelativeVirtualAddress == 0 || directory.Size == 0)
            return names;
        int table = FileOffset(content, headers, directory.RelativeVirtualAddress, descriptorSize, what + " directory");
        for (int index = 0; ; index++)
        {
            if (index == MaxDescriptors)
                throw new InvalidDataException($"its {what} directory has no end within {MaxDescriptors} entries");
            long descriptor = table + (long)index * descriptorSize;
            if (descriptor + descriptorSize > content.Length)
                throw new InvalidDataException($"its {what} directory runs past the end of the file");
            var entry = content.AsSpan((int)descriptor, descriptorSize);
            // The table ends with an all-zero descriptor.
            if (entry.IndexOfAnyExcept((byte)0) < 0)
                return names;
            int nameRva = BinaryPrimitives.ReadInt32LittleEndian(entry[nameOffset..]);
            names.Add(ReadName(content, headers, nameRva, what));
        }
    }

    private static string ReadName(byte[] content, PEHeaders headers, int rva, string what)
    {
        int start = FileOffset(content, headers, rva, 1, $"a DLL name of its {what} directory");
        int end = Array.IndexOf(content, (byte)0, start, Math.Min(MaxNameLength + 1, content.Length - start));
        if (end < 0)
            throw new InvalidDataException($"a DLL name of its {what} directory (RVA 0x{rva:X}) has no end within {MaxNameLength} bytes");
        if (end == start)
            throw new InvalidDataException($"its {what} directory names an empty DLL (RVA 0x{rva:X})");
        var name = content.AsSpan(start, end - start);
        // Module names are ASCII file names; anything else is a damaged table, not a DLL to look for.
        if (name.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) >= 0)
            throw new InvalidDataException($"its {what} directory names a DLL with non-ASCII bytes (RVA 0x{rva:X})");
        return Encoding.ASCII.GetString(name);
    }

    /// <summary>The file offset of <paramref name="rva"/>, where <paramref name="length"/> bytes must lie inside one section's raw data.</summary>
    private static int FileOffset(byte[] content, PEHeaders headers, int rva, int length, string what)
    {
        int section = headers.GetContainingSectionIndex(rva);
        if (section < 0)
            throw new InvalidDataException($"{what} (RVA 0x{rva:X}) lies in no section");
        var header = headers.SectionHeaders[section];
        long inSection = (long)rva - header.VirtualAddress;
        long offset = header.PointerToRawData + inSection;
        if (inSection + length > header.SizeOfRawData || offset + length > content.Length || offset < 0)
            throw new InvalidDataException($"{what} (RVA 0x{rva:X}) points outside the file's data");
        return (int)offset;
    }
}

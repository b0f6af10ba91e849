using System.Buffers.Binary;
using static Oxidize.Packing.Elf.ElfConstants;

namespace Oxidize.Packing.Elf;

/// <summary>
/// Reads what the dynamic loader needs from an ELF file: the header, the program headers and the
/// PT_DYNAMIC segment. Section headers are never consulted (stripped libraries may have none);
/// the dynamic tags' addresses are turned into file offsets through the PT_LOAD segments.
/// Only ELF64 little-endian is supported. Anything else, and any malformed or truncated file,
/// raises <see cref="InvalidDataException"/>; every loop is bounded by the file's size or by
/// the format's own limits.
/// </summary>
public static class ElfFile
{
    private static ReadOnlySpan<byte> Magic => [0x7F, (byte)'E', (byte)'L', (byte)'F'];

    public static ElfInfo Read(byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return Read(content.AsSpan());
    }

    public static ElfInfo Read(ReadOnlySpan<byte> content)
    {
        var header = ReadHeader(content);
        var segments = ReadProgramHeaders(new ElfImage(content, []), header);
        var image = new ElfImage(content, segments.Loads);

        string? interpreter = null;
        if (segments.Interpreter is { } interp)
            interpreter = image.ReadString(interp.Offset, interp.Size, "the PT_INTERP path");

        var dynamic = segments.Dynamic is { } range ? DynamicSegment.Read(image, range.Offset, range.Size) : DynamicSegment.Empty;
        return new ElfInfo
        {
            Is64Bit = true,
            Machine = header.Machine,
            Type = header.Type,
            Soname = dynamic.Soname,
            Needed = dynamic.Needed,
            Interpreter = interpreter,
            Runpath = dynamic.Runpath,
            Rpath = dynamic.Rpath,
            IsPositionIndependentExecutable = (dynamic.Flags1 & Df1Pie) != 0,
            VersionRequirements = dynamic.VersionRequirements,
            DefinedVersions = dynamic.DefinedVersions,
        };
    }

    private readonly record struct Header(ElfType Type, ElfMachine Machine, ulong ProgramHeaderOffset, ushort ProgramHeaderSize, ushort ProgramHeaderCount);

    private readonly record struct FileRange(ulong Offset, ulong Size);

    private sealed record Segments(LoadSegment[] Loads, FileRange? Dynamic, FileRange? Interpreter);

    private static Header ReadHeader(ReadOnlySpan<byte> content)
    {
        if (!content.StartsWith(Magic))
            throw new InvalidDataException($"Not an ELF file: it does not start with 0x7F 'E' 'L' 'F' ({content.Length} bytes).");
        if (content.Length <= IdentVersion)
            throw ElfImage.Malformed($"truncated: {content.Length} bytes end inside the ELF identification.");
        switch (content[IdentClass])
        {
            case ClassElf64:
                break;
            case ClassElf32:
                throw new InvalidDataException("Unsupported ELF file: it is 32-bit (ELFCLASS32); only 64-bit little-endian ELF is supported.");
            default:
                throw ElfImage.Malformed($"unknown ELF class {content[IdentClass]} in e_ident.");
        }
        switch (content[IdentData])
        {
            case DataLittleEndian:
                break;
            case DataBigEndian:
                throw new InvalidDataException("Unsupported ELF file: it is big-endian (ELFDATA2MSB); only 64-bit little-endian ELF is supported.");
            default:
                throw ElfImage.Malformed($"unknown data encoding {content[IdentData]} in e_ident.");
        }
        if (content[IdentVersion] != CurrentVersion)
            throw ElfImage.Malformed($"unknown ELF version {content[IdentVersion]} in e_ident.");
        if (content.Length < HeaderSize64)
            throw ElfImage.Malformed($"truncated: the ELF64 header needs {HeaderSize64} bytes, the file has {content.Length}.");

        uint version = BinaryPrimitives.ReadUInt32LittleEndian(content[20..]);
        if (version != CurrentVersion)
            throw ElfImage.Malformed($"unknown e_version {version}.");
        var header = new Header(
            Type: (ElfType)BinaryPrimitives.ReadUInt16LittleEndian(content[16..]),
            Machine: (ElfMachine)BinaryPrimitives.ReadUInt16LittleEndian(content[18..]),
            ProgramHeaderOffset: BinaryPrimitives.ReadUInt64LittleEndian(content[32..]),
            ProgramHeaderSize: BinaryPrimitives.ReadUInt16LittleEndian(content[54..]),
            ProgramHeaderCount: BinaryPrimitives.ReadUInt16LittleEndian(content[56..]));
        if (header.ProgramHeaderCount == ProgramHeaderCountExtended)
            throw new InvalidDataException("Unsupported ELF file: it has 65535 or more program headers (PN_XNUM).");
        if (header.ProgramHeaderCount > 0 && header.ProgramHeaderSize != ProgramHeaderSize64)
            throw ElfImage.Malformed($"e_phentsize is {header.ProgramHeaderSize}, an ELF64 program header is {ProgramHeaderSize64} bytes.");
        return header;
    }

    private static Segments ReadProgramHeaders(ElfImage image, Header header)
    {
        var table = image.Slice(header.ProgramHeaderOffset, (ulong)header.ProgramHeaderCount * ProgramHeaderSize64,
            $"the program header table ({header.ProgramHeaderCount} entries)");
        var loads = new List<LoadSegment>();
        FileRange? dynamic = null;
        FileRange? interpreter = null;
        for (int index = 0; index < header.ProgramHeaderCount; index++)
        {
            var entry = table.Slice(index * ProgramHeaderSize64, ProgramHeaderSize64);
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(entry);
            ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(entry[8..]);
            ulong address = BinaryPrimitives.ReadUInt64LittleEndian(entry[16..]);
            ulong fileSize = BinaryPrimitives.ReadUInt64LittleEndian(entry[32..]);
            switch (type)
            {
                case PtLoad:
                    image.Slice(offset, fileSize, $"PT_LOAD segment (program header {index})");
                    if (fileSize > ulong.MaxValue - address)
                        throw ElfImage.Malformed($"PT_LOAD segment (program header {index}) wraps around the address space.");
                    loads.Add(new LoadSegment(offset, address, fileSize));
                    break;
                case PtDynamic:
                    if (dynamic is not null)
                        throw ElfImage.Malformed("more than one PT_DYNAMIC program header.");
                    image.Slice(offset, fileSize, $"PT_DYNAMIC segment (program header {index})");
                    dynamic = new FileRange(offset, fileSize);
                    break;
                case PtInterp:
                    if (interpreter is not null)
                        throw ElfImage.Malformed("more than one PT_INTERP program header.");
                    image.Slice(offset, fileSize, $"PT_INTERP segment (program header {index})");
                    interpreter = new FileRange(offset, fileSize);
                    break;
            }
        }
        return new Segments([.. loads], dynamic, interpreter);
    }
}

using System.Buffers.Binary;
using System.Text;

namespace Oxidize.Tests.Shared;

/// <summary>
/// A minimal PE32+ image built byte by byte (DOS header, PE signature, COFF and optional headers, one section holding
/// the import and delay-import tables and the DLL names): a native Windows DLL with exactly the imports a test names,
/// which tests then damage at the offsets exposed here. Real DLLs (the win-x64 runtime pack's) are tested beside it.
/// </summary>
public sealed class HandMadePe
{
    public const ushort MachineAmd64 = 0x8664;
    public const ushort MachineI386 = 0x014C;

    private const int PeHeaderOffset = 0x40;
    private const int CoffOffset = PeHeaderOffset + 4;
    private const int OptionalOffset = CoffOffset + 20;
    private const int OptionalSize = 240;
    private const int SectionHeaderOffset = OptionalOffset + OptionalSize;
    private const int SectionFileOffset = 0x200;
    private const int SectionRva = 0x1000;
    private const int SectionSize = 0x400;

    private HandMadePe(byte[] bytes, int importTableOffset, int delayTableOffset, int firstNameOffset)
    {
        Bytes = bytes;
        ImportTableOffset = importTableOffset;
        DelayImportTableOffset = delayTableOffset;
        FirstNameOffset = firstNameOffset;
    }

    public byte[] Bytes { get; }

    /// <summary>File offset of the first IMAGE_IMPORT_DESCRIPTOR (its Name RVA is at +12).</summary>
    public int ImportTableOffset { get; }

    /// <summary>File offset of the first delay-import descriptor (its DllNameRVA is at +4); -1 without delay imports.</summary>
    public int DelayImportTableOffset { get; }

    /// <summary>File offset of the first DLL name's bytes.</summary>
    public int FirstNameOffset { get; }

    /// <summary>File offset of the optional header's import directory entry (RVA, then size).</summary>
    public static int ImportDirectoryEntryOffset => OptionalOffset + 112 + 8;

    public static HandMadePe Build(IReadOnlyList<string> imports, IReadOnlyList<string>? delayImports = null, ushort machine = MachineAmd64)
    {
        delayImports ??= [];
        var bytes = new byte[SectionFileOffset + SectionSize];
        var span = bytes.AsSpan();
        span[0] = (byte)'M';
        span[1] = (byte)'Z';
        BinaryPrimitives.WriteInt32LittleEndian(span[0x3C..], PeHeaderOffset);
        "PE\0\0"u8.CopyTo(span[PeHeaderOffset..]);

        BinaryPrimitives.WriteUInt16LittleEndian(span[CoffOffset..], machine);
        BinaryPrimitives.WriteUInt16LittleEndian(span[(CoffOffset + 2)..], 1); // one section
        BinaryPrimitives.WriteUInt16LittleEndian(span[(CoffOffset + 16)..], OptionalSize);
        BinaryPrimitives.WriteUInt16LittleEndian(span[(CoffOffset + 18)..], 0x2022); // DLL, executable image, large addresses

        var optional = span.Slice(OptionalOffset, OptionalSize);
        BinaryPrimitives.WriteUInt16LittleEndian(optional, 0x20B); // PE32+
        BinaryPrimitives.WriteUInt64LittleEndian(optional[24..], 0x180000000);
        BinaryPrimitives.WriteInt32LittleEndian(optional[32..], 0x1000); // SectionAlignment
        BinaryPrimitives.WriteInt32LittleEndian(optional[36..], 0x200); // FileAlignment
        BinaryPrimitives.WriteUInt16LittleEndian(optional[48..], 6); // subsystem version 6.0
        BinaryPrimitives.WriteInt32LittleEndian(optional[56..], SectionRva + SectionSize); // SizeOfImage
        BinaryPrimitives.WriteInt32LittleEndian(optional[60..], SectionFileOffset); // SizeOfHeaders
        BinaryPrimitives.WriteUInt16LittleEndian(optional[68..], 3); // console subsystem (IMAGE_SUBSYSTEM_WINDOWS_CUI)
        BinaryPrimitives.WriteInt32LittleEndian(optional[108..], 16); // NumberOfRvaAndSizes

        var section = span.Slice(SectionHeaderOffset, 40);
        ".idata\0\0"u8.CopyTo(section);
        BinaryPrimitives.WriteInt32LittleEndian(section[8..], SectionSize);
        BinaryPrimitives.WriteInt32LittleEndian(section[12..], SectionRva);
        BinaryPrimitives.WriteInt32LittleEndian(section[16..], SectionSize);
        BinaryPrimitives.WriteInt32LittleEndian(section[20..], SectionFileOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(section[36..], 0xC0000040); // initialized data, read, write

        // Layout inside the section: import descriptors (+ a zero one), delay descriptors (+ a zero one), then the names.
        int importTable = 0;
        int delayTable = importTable + (imports.Count + 1) * 20;
        int names = delayTable + (delayImports.Count > 0 ? (delayImports.Count + 1) * 32 : 0);
        var data = span.Slice(SectionFileOffset, SectionSize);
        int name = names;
        for (int i = 0; i < imports.Count; i++)
            name = WriteName(data, importTable + i * 20 + 12, name, imports[i]);
        for (int i = 0; i < delayImports.Count; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(data[(delayTable + i * 32)..], 1); // attributes: RVAs
            name = WriteName(data, delayTable + i * 32 + 4, name, delayImports[i]);
        }

        BinaryPrimitives.WriteInt32LittleEndian(span[ImportDirectoryEntryOffset..], SectionRva + importTable);
        BinaryPrimitives.WriteInt32LittleEndian(span[(ImportDirectoryEntryOffset + 4)..], (imports.Count + 1) * 20);
        if (delayImports.Count > 0)
        {
            int delayEntry = OptionalOffset + 112 + 13 * 8;
            BinaryPrimitives.WriteInt32LittleEndian(span[delayEntry..], SectionRva + delayTable);
            BinaryPrimitives.WriteInt32LittleEndian(span[(delayEntry + 4)..], (delayImports.Count + 1) * 32);
        }
        return new HandMadePe(bytes, SectionFileOffset + importTable, delayImports.Count > 0 ? SectionFileOffset + delayTable : -1,
            SectionFileOffset + names);
    }

    private static int WriteName(Span<byte> data, int rvaField, int at, string dll)
    {
        BinaryPrimitives.WriteInt32LittleEndian(data[rvaField..], SectionRva + at);
        at += Encoding.ASCII.GetBytes(dll, data[at..]);
        return at + 1; // the terminating zero is already there
    }

    /// <summary>Points the <paramref name="index"/>th import descriptor's Name at <paramref name="rva"/>.</summary>
    public HandMadePe WithImportNameRva(int index, int rva)
    {
        BinaryPrimitives.WriteInt32LittleEndian(Bytes.AsSpan(ImportTableOffset + index * 20 + 12), rva);
        return this;
    }
}

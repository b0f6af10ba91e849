using System.Buffers.Binary;
using System.Text;

namespace Oxidize.Packing.Elf;

/// <summary>A PT_LOAD segment's file part: <see cref="FileSize"/> bytes at <see cref="Offset"/> are mapped at <see cref="VirtualAddress"/>.</summary>
internal readonly record struct LoadSegment(ulong Offset, ulong VirtualAddress, ulong FileSize);

/// <summary>
/// Bounds-checked little-endian reads over an ELF64 file, plus the loader's view of it: virtual
/// addresses become file offsets through the PT_LOAD segments. Every failure is an
/// <see cref="InvalidDataException"/> that says what was being read.
/// </summary>
internal readonly ref struct ElfImage
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly LoadSegment[] _loads;

    public ElfImage(ReadOnlySpan<byte> data, LoadSegment[] loads)
    {
        _data = data;
        _loads = loads;
    }

    public ulong Length => (ulong)_data.Length;

    public static InvalidDataException Malformed(string detail) => new("Malformed ELF file: " + detail);

    public ReadOnlySpan<byte> Slice(ulong offset, ulong length, string what)
    {
        if (offset > Length || length > Length - offset)
            throw Malformed($"{what} (file offset 0x{offset:x}, 0x{length:x} bytes) lies outside the file's 0x{Length:x} bytes.");
        return _data.Slice((int)offset, (int)length);
    }

    public ushort ReadUInt16(ulong offset, string what) => BinaryPrimitives.ReadUInt16LittleEndian(Slice(offset, 2, what));

    public uint ReadUInt32(ulong offset, string what) => BinaryPrimitives.ReadUInt32LittleEndian(Slice(offset, 4, what));

    public ulong ReadUInt64(ulong offset, string what) => BinaryPrimitives.ReadUInt64LittleEndian(Slice(offset, 8, what));

    /// <summary>The file offset of <paramref name="length"/> bytes at <paramref name="address"/>, which must lie within one PT_LOAD segment's file part.</summary>
    public ulong MapAddress(ulong address, ulong length, string what)
    {
        var load = FindLoad(address, what);
        ulong inSegment = address - load.VirtualAddress;
        if (length > load.FileSize - inSegment)
            throw Malformed($"{what} (address 0x{address:x}, 0x{length:x} bytes) runs past the end of its PT_LOAD segment's file data.");
        return load.Offset + inSegment;
    }

    /// <summary>How many bytes of file data the PT_LOAD segment holding <paramref name="address"/> has from there on.</summary>
    public ulong BytesMappedFrom(ulong address, string what)
    {
        var load = FindLoad(address, what);
        return load.FileSize - (address - load.VirtualAddress);
    }

    private LoadSegment FindLoad(ulong address, string what)
    {
        foreach (var load in _loads)
        {
            if (address >= load.VirtualAddress && address - load.VirtualAddress < load.FileSize)
                return load;
        }
        throw Malformed($"{what} (address 0x{address:x}) is not inside any PT_LOAD segment's file data.");
    }

    /// <summary>The NUL-terminated string at <paramref name="offset"/>; the NUL must come within <paramref name="limit"/> bytes.</summary>
    public string ReadString(ulong offset, ulong limit, string what)
    {
        if (offset > Length)
            throw Malformed($"{what} (file offset 0x{offset:x}) lies outside the file's 0x{Length:x} bytes.");
        var bytes = Slice(offset, Math.Min(limit, Length - offset), what);
        int end = bytes.IndexOf((byte)0);
        if (end < 0)
            throw Malformed($"{what} (file offset 0x{offset:x}) is not NUL-terminated within its table.");
        return Encoding.UTF8.GetString(bytes[..end]);
    }
}

/// <summary>The dynamic string table (DT_STRTAB, DT_STRSZ bytes), already mapped to a file range.</summary>
internal readonly record struct StringTable(ulong Offset, ulong Size)
{
    public string Read(ElfImage image, ulong index, string what)
    {
        if (index >= Size)
            throw ElfImage.Malformed($"{what}: string offset 0x{index:x} is outside the 0x{Size:x}-byte dynamic string table.");
        return image.ReadString(Offset + index, Size - index, what);
    }
}

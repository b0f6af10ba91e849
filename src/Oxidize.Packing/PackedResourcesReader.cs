using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using System.Text;
using Oxidize.Packing.Lz4;

namespace Oxidize.Packing;

/// <summary>One entry of an oxidized executable, as its index describes it.</summary>
/// <param name="FileOffset">Absolute offset of the entry's bytes in the executable.</param>
public sealed record PackedEntry(string Name, ResourceKind Kind, int Codec, long FileOffset, long StoredSize, long OriginalSize, byte[] Sha256);

/// <summary>
/// Reads the payload of an oxidized executable (docs/format.md) through a read-only memory mapping:
/// the C# twin of the host's payload.c, with the same checks. Used by Oxidize.Resources at run time
/// (the source is shared, so it depends on nothing but the BCL and K4os.Compression.LZ4) and by tests and tools.
/// </summary>
public sealed class PackedResourcesReader : IDisposable
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly Dictionary<string, PackedEntry> _byName;

    private PackedResourcesReader(MemoryMappedFile file, MemoryMappedViewAccessor view, long length)
    {
        _file = file;
        _view = view;
        Length = length;
        (RuntimeVersion, RuntimeIdentifier, Entries, Properties, EntryAssemblyName) = Parse();
        _byName = Entries.ToDictionary(entry => entry.Name, StringComparer.Ordinal);
    }

    public long Length { get; }

    public string RuntimeVersion { get; }

    public string RuntimeIdentifier { get; }

    public string EntryAssemblyName { get; }

    public IReadOnlyList<PackedEntry> Entries { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Properties { get; }

    /// <summary>Opens an executable; throws InvalidDataException when it carries no valid payload.</summary>
    public static PackedResourcesReader Open(string executablePath)
    {
        using var stream = new FileStream(executablePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        long length = stream.Length;
        if (length < FormatConstants.TrailerSize)
            throw new InvalidDataException($"{executablePath} is too short to carry an Oxidize payload.");
        var file = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
        var view = file.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
        try
        {
            return new PackedResourcesReader(file, view, length);
        }
        catch
        {
            view.Dispose();
            file.Dispose();
            throw;
        }
    }

    public bool TryFind(string name, out PackedEntry entry) => _byName.TryGetValue(name, out entry!);

    /// <summary>A read-only stream over the entry's bytes: straight from the mapping when stored,
    /// decoded into memory when compressed.</summary>
    public Stream OpenEntry(PackedEntry entry) => entry.Codec == FormatConstants.CodecStored
        ? _file.CreateViewStream(entry.FileOffset, entry.StoredSize, MemoryMappedFileAccess.Read)
        : new MemoryStream(ReadEntry(entry), writable: false);

    public byte[] ReadEntry(PackedEntry entry)
    {
        var bytes = new byte[entry.OriginalSize];
        if (entry.Codec == FormatConstants.CodecStored)
        {
            _view.ReadArray(entry.FileOffset, bytes, 0, bytes.Length);
            return bytes;
        }
        var block = new byte[entry.StoredSize];
        _view.ReadArray(entry.FileOffset, block, 0, block.Length);
        int decoded;
        try
        {
            decoded = Lz4Decoder.Decode(block, bytes);
        }
        catch (InvalidDataException malformed)
        {
            throw new InvalidDataException($"Not a valid Oxidize executable: entry '{entry.Name}' does not decode. {malformed.Message}", malformed);
        }
        return decoded == bytes.Length ? bytes : throw Corrupt($"entry '{entry.Name}' decodes to {decoded} bytes, not {bytes.Length}");
    }

    public void Dispose()
    {
        _view.Dispose();
        _file.Dispose();
    }

    private (string, string, List<PackedEntry>, List<KeyValuePair<string, string>>, string) Parse()
    {
        long trailer = Length - FormatConstants.TrailerSize;
        Require(U64(trailer + FormatConstants.TrailerOffsetMagic) == FormatConstants.TrailerMagic, "the file has no Oxidize trailer");
        Require(U32(trailer + FormatConstants.TrailerOffsetFormatVersion) == FormatConstants.FormatVersion, "the trailer's format version is not 1");
        long payload = Size(U64(trailer + FormatConstants.TrailerOffsetPayloadOffset));
        long payloadSize = Size(U64(trailer + FormatConstants.TrailerOffsetPayloadSize));
        Require(payload >= 0 && payloadSize >= FormatConstants.HeaderSize && payload % FormatConstants.PayloadAlignment == 0
            && payload <= trailer && payloadSize == trailer - payload, "the trailer's payload range is inconsistent");
        Require(U64(payload + FormatConstants.HeaderOffsetMagic) == FormatConstants.HeaderMagic
            && U32(payload + FormatConstants.HeaderOffsetFormatVersion) == FormatConstants.FormatVersion
            && U32(payload + FormatConstants.HeaderOffsetEntrySize) == FormatConstants.EntrySize
            && U32(payload + FormatConstants.HeaderOffsetPropertySize) == FormatConstants.PropertySize, "the payload header is not format version 1");

        uint entryCount = U32(payload + FormatConstants.HeaderOffsetEntryCount);
        uint propertyCount = U32(payload + FormatConstants.HeaderOffsetPropertyCount);
        Require(entryCount is > 0 and <= FormatConstants.MaxEntryCount && propertyCount <= FormatConstants.MaxPropertyCount, "the header's counts are out of range");
        long entries = Table(payload, payloadSize, FormatConstants.HeaderOffsetEntriesOffset, entryCount, FormatConstants.EntrySize);
        long properties = Table(payload, payloadSize, FormatConstants.HeaderOffsetPropertiesOffset, propertyCount, FormatConstants.PropertySize);
        long strings = Table(payload, payloadSize, FormatConstants.HeaderOffsetStringsOffset, 1, 0);
        long stringsSize = Size(U64(payload + FormatConstants.HeaderOffsetStringsSize));
        Require(stringsSize <= payloadSize - (strings - payload), "the string table lies outside the payload");

        string ReadString(long reference)
        {
            uint offset = U32(reference);
            uint length = U32(reference + 4);
            Require((long)offset + length < stringsSize, "a string lies outside the string table");
            var bytes = new byte[length];
            _view.ReadArray(strings + offset, bytes, 0, bytes.Length);
            Require(_view.ReadByte(strings + offset + length) == 0 && Array.IndexOf(bytes, (byte)0) < 0, "a string is not NUL-terminated");
            return Encoding.UTF8.GetString(bytes);
        }

        var list = new List<PackedEntry>((int)entryCount);
        byte[] previousName = [];
        for (long i = 0; i < entryCount; i++)
        {
            long record = entries + i * FormatConstants.EntrySize;
            string name = ReadString(record + FormatConstants.EntryOffsetName);
            var kind = (ResourceKind)_view.ReadUInt16(record + FormatConstants.EntryOffsetKind);
            int codec = _view.ReadUInt16(record + FormatConstants.EntryOffsetCodec);
            long dataOffset = Size(U64(record + FormatConstants.EntryOffsetDataOffset));
            long storedSize = Size(U64(record + FormatConstants.EntryOffsetStoredSize));
            long originalSize = Size(U64(record + FormatConstants.EntryOffsetOriginalSize));
            Require((codec == FormatConstants.CodecStored && storedSize == originalSize)
                || (codec == FormatConstants.CodecLz4 && storedSize < originalSize && originalSize <= int.MaxValue),
                $"entry '{name}' has an unknown codec or sizes that disagree");
            Require(Enum.IsDefined(kind) && dataOffset >= 0 && storedSize >= 0 && dataOffset <= payloadSize && storedSize <= payloadSize - dataOffset,
                $"entry '{name}' has an unknown kind or data outside the payload");
            // Strictly increasing in UTF-8 byte order (docs/format.md), as the host checks: no duplicates either.
            byte[] nameBytes = Encoding.UTF8.GetBytes(name);
            Require(list.Count == 0 || previousName.AsSpan().SequenceCompareTo(nameBytes) < 0, $"entry '{name}' is out of order");
            previousName = nameBytes;
            var sha256 = new byte[32];
            _view.ReadArray(record + FormatConstants.EntryOffsetSha256, sha256, 0, 32);
            list.Add(new PackedEntry(name, kind, codec, payload + dataOffset, storedSize, originalSize, sha256));
        }
        var propertyList = new List<KeyValuePair<string, string>>((int)propertyCount);
        for (long i = 0; i < propertyCount; i++)
        {
            long record = properties + i * FormatConstants.PropertySize;
            propertyList.Add(new(ReadString(record + FormatConstants.PropertyOffsetKey), ReadString(record + FormatConstants.PropertyOffsetValue)));
        }
        uint entryAssembly = U32(payload + FormatConstants.HeaderOffsetEntryAssemblyIndex);
        Require(entryAssembly < entryCount, "the entry assembly index is out of range");
        return (ReadString(payload + FormatConstants.HeaderOffsetRuntimeVersion), ReadString(payload + FormatConstants.HeaderOffsetRuntimeIdentifier),
            list, propertyList, list[(int)entryAssembly].Name);
    }

    private long Table(long payload, long payloadSize, int offsetField, uint count, int recordSize)
    {
        long offset = Size(U64(payload + offsetField));
        Require(offset >= 0 && offset <= payloadSize && (long)count * recordSize <= payloadSize - offset, "a table lies outside the payload");
        return payload + offset;
    }

    // A 64-bit field above long.MaxValue can only come from a damaged file.
    private static long Size(ulong value) => value <= long.MaxValue ? (long)value : throw Corrupt("a size or offset is out of range");

    private uint U32(long position) => position >= 0 && position + 4 <= Length ? _view.ReadUInt32(position) : throw Corrupt("a field lies outside the file");

    private ulong U64(long position) => position >= 0 && position + 8 <= Length ? _view.ReadUInt64(position) : throw Corrupt("a field lies outside the file");

    private static void Require(bool condition, string what)
    {
        if (!condition)
            throw Corrupt(what);
    }

    private static InvalidDataException Corrupt(string what) => new($"Not a valid Oxidize executable: {what}.");
}

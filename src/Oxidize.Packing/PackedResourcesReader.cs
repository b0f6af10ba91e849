using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using System.Text;
using Oxidize.Packing.Lz4;

namespace Oxidize.Packing;

/// <summary>One entry of an oxidized executable, as its index describes it.</summary>
/// <param name="FileOffset">Absolute offset of the entry's bytes in the executable.</param>
#if OXIDIZE_FORMAT_INTERNAL
internal
#else
public
#endif
sealed record PackedEntry(string Name, ResourceKind Kind, int Codec, long FileOffset, long StoredSize, long OriginalSize, byte[] Sha256);

/// <summary>
/// Reads the payload of an oxidized executable (docs/format.md) through a read-only memory mapping:
/// the C# twin of the host's payload.c, with the same checks in the same order, so that both give a file the same
/// verdict (ReaderContractTests runs the fuzz corpus and bit flips through both). Used by Oxidize.Resources at run time
/// (the source is shared, so it depends on nothing but the BCL and K4os.Compression.LZ4) and by tests and tools.
/// </summary>
#if OXIDIZE_FORMAT_INTERNAL
internal
#else
public
#endif
sealed class PackedResourcesReader : IDisposable
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
        _byName = new Dictionary<string, PackedEntry>(StringComparer.Ordinal);
        // Names are unique as bytes; two that are not valid UTF-8 may still decode to the same string (U+FFFD).
        foreach (var entry in Entries)
            _byName.TryAdd(entry.Name, entry);
    }

    public long Length { get; }

    public string RuntimeVersion { get; }

    public string RuntimeIdentifier { get; }

    /// <summary>The entry assembly's entry name; "" in a Native AOT app's payload, which has none.</summary>
    public string EntryAssemblyName { get; }

    /// <summary>The payload was appended to a Native AOT app (PublishAot=true), not to the host.</summary>
    public bool NativeAot => EntryAssemblyName.Length == 0;

    public IReadOnlyList<PackedEntry> Entries { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Properties { get; }

    /// <summary>Opens an executable; throws InvalidDataException when it carries no valid payload.</summary>
    public static PackedResourcesReader Open(string executablePath)
    {
        using var stream = new FileStream(executablePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        long length = stream.Length;
        if (length < FormatConstants.TrailerSize)
            throw Invalid(PayloadVerdict.Missing, $"{executablePath} is shorter than the {FormatConstants.TrailerSize}-byte trailer");
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
            throw Invalid(PayloadVerdict.Corrupt, $"entry '{entry.Name}' does not decode. {malformed.Message}");
        }
        return decoded == bytes.Length ? bytes : throw Corrupt($"entry '{entry.Name}' decodes to {decoded} bytes, not {bytes.Length}");
    }

    public void Dispose()
    {
        _view.Dispose();
        _file.Dispose();
    }

    // Mirrors payload.c's payload_parse check for check and in the same order, so both readers give a damaged file
    // the same verdict (PayloadVerdict: the host's exit codes 181, 182, 183); ReaderContractTests compares them.
    private (string, string, List<PackedEntry>, List<KeyValuePair<string, string>>, string) Parse()
    {
        // Trailer.
        long end = TrailerEnd();
        Require(end >= FormatConstants.TrailerSize, PayloadVerdict.Missing, "the file before its signature is shorter than the trailer");
        long trailer = end - FormatConstants.TrailerSize;
        Require(U64(trailer + FormatConstants.TrailerOffsetMagic) == FormatConstants.TrailerMagic, PayloadVerdict.Missing, "the file has no Oxidize trailer");
        Require(U32(trailer + FormatConstants.TrailerOffsetFormatVersion) == FormatConstants.FormatVersion, PayloadVerdict.UnsupportedFormat,
            "the trailer's format version is not 1");
        ulong payloadOffset = U64(trailer + FormatConstants.TrailerOffsetPayloadOffset);
        ulong payloadSizeField = U64(trailer + FormatConstants.TrailerOffsetPayloadSize);
        Require(U32(trailer + FormatConstants.TrailerOffsetTrailerSize) == FormatConstants.TrailerSize
            && payloadOffset % FormatConstants.PayloadAlignment == 0 && RangeFits(payloadOffset, payloadSizeField, (ulong)trailer)
            && payloadOffset + payloadSizeField == (ulong)trailer && payloadSizeField >= FormatConstants.HeaderSize,
            "the trailer's payload range does not end where the trailer begins");
        long payload = (long)payloadOffset;
        ulong payloadSize = payloadSizeField;

        // Header.
        Require(U64(payload + FormatConstants.HeaderOffsetMagic) == FormatConstants.HeaderMagic, "the payload header has the wrong magic number");
        Require(U32(payload + FormatConstants.HeaderOffsetFormatVersion) == FormatConstants.FormatVersion, PayloadVerdict.UnsupportedFormat,
            "the header's format version is not 1");
        Require(U32(payload + FormatConstants.HeaderOffsetHeaderSize) == FormatConstants.HeaderSize
            && U32(payload + FormatConstants.HeaderOffsetEntrySize) == FormatConstants.EntrySize
            && U32(payload + FormatConstants.HeaderOffsetPropertySize) == FormatConstants.PropertySize, "the header's record sizes do not match format version 1");
        for (int i = FormatConstants.HeaderOffsetDependenciesOffset + 8; i < FormatConstants.HeaderSize; i++)
            Require(_view.ReadByte(payload + i) == 0, $"reserved header byte {i} is not zero");
        uint entryCount = U32(payload + FormatConstants.HeaderOffsetEntryCount);
        uint propertyCount = U32(payload + FormatConstants.HeaderOffsetPropertyCount);
        uint dependencyCount = U32(payload + FormatConstants.HeaderOffsetDependencyCount);
        uint flags = U32(payload + FormatConstants.HeaderOffsetFlags);
        bool nativeAot = (flags & FormatConstants.FlagNativeAot) != 0;
        // A Native AOT app may pack nothing at all (payload.c's fewest_entries).
        Require(entryCount <= FormatConstants.MaxEntryCount && (entryCount > 0 || nativeAot) && propertyCount <= FormatConstants.MaxPropertyCount
            && dependencyCount <= FormatConstants.MaxEntryCount, "the header's counts are out of range");
        ulong entriesOffset = U64(payload + FormatConstants.HeaderOffsetEntriesOffset);
        ulong stringsOffset = U64(payload + FormatConstants.HeaderOffsetStringsOffset);
        ulong stringsSize = U64(payload + FormatConstants.HeaderOffsetStringsSize);
        ulong propertiesOffset = U64(payload + FormatConstants.HeaderOffsetPropertiesOffset);
        ulong dependenciesOffset = U64(payload + FormatConstants.HeaderOffsetDependenciesOffset);
        Require(RangeFits(entriesOffset, (ulong)entryCount * FormatConstants.EntrySize, payloadSize)
            && RangeFits(stringsOffset, stringsSize, payloadSize)
            && RangeFits(propertiesOffset, (ulong)propertyCount * FormatConstants.PropertySize, payloadSize)
            && RangeFits(dependenciesOffset, (ulong)dependencyCount * FormatConstants.DependencySize, payloadSize),
            "a table named in the header lies outside the payload");
        long entries = payload + (long)entriesOffset;
        long strings = payload + (long)stringsOffset;
        long properties = payload + (long)propertiesOffset;
        long dependencies = payload + (long)dependenciesOffset;

        // A string ref's bytes, or null when it does not point at a NUL-terminated string of its length (resolve_string).
        byte[]? ResolveString(long reference, uint maxLength)
        {
            uint offset = U32(reference);
            uint length = U32(reference + 4);
            if (length > maxLength || !RangeFits(offset, (ulong)length + 1, stringsSize))
                return null;
            var bytes = new byte[length];
            _view.ReadArray(strings + offset, bytes, 0, bytes.Length);
            return _view.ReadByte(strings + offset + length) == 0 && Array.IndexOf(bytes, (byte)0) < 0 ? bytes : null;
        }

        byte[]? runtimeVersion = ResolveString(payload + FormatConstants.HeaderOffsetRuntimeVersion, FormatConstants.MaxNameLength);
        byte[]? runtimeIdentifier = ResolveString(payload + FormatConstants.HeaderOffsetRuntimeIdentifier, FormatConstants.MaxNameLength);
        Require(runtimeVersion is not null && runtimeIdentifier is not null, "the header's runtime version or runtime identifier string is malformed");
        Require((flags & ~(uint)(FormatConstants.FlagDiagnosticsEnabled | FormatConstants.FlagStartupHooksEnabled | FormatConstants.FlagPackedFilesReadOnly
            | FormatConstants.FlagNativeAot)) == 0,
            "the header has unknown flags");

        // Entries.
        var list = new List<PackedEntry>((int)entryCount);
        var kinds = new ushort[entryCount];
        byte[]? previousName = null;
        for (long i = 0; i < entryCount; i++)
        {
            long record = entries + i * FormatConstants.EntrySize;
            byte[]? nameBytes = ResolveString(record + FormatConstants.EntryOffsetName, FormatConstants.MaxNameLength);
            Require(nameBytes is { Length: > 0 }, $"entry {i} has a malformed name");
            string name = Encoding.UTF8.GetString(nameBytes!);
            Require(IsRelativePath(nameBytes!), $"entry {i} ('{name}') is not a relative path of non-empty segments other than '.' and '..'");
            // Strictly increasing in byte order: lookups are binary searches, and names are unique.
            Require(previousName is null || previousName.AsSpan().SequenceCompareTo(nameBytes) < 0, $"entry {i} ('{name}') is out of order or repeats a name");
            previousName = nameBytes;

            ushort kind = _view.ReadUInt16(record + FormatConstants.EntryOffsetKind);
            ushort codec = _view.ReadUInt16(record + FormatConstants.EntryOffsetCodec);
            uint entryFlags = U32(record + FormatConstants.EntryOffsetFlags);
            ulong dataOffset = U64(record + FormatConstants.EntryOffsetDataOffset);
            ulong storedSize = U64(record + FormatConstants.EntryOffsetStoredSize);
            ulong originalSize = U64(record + FormatConstants.EntryOffsetOriginalSize);
            uint dependenciesFirst = U32(record + FormatConstants.EntryOffsetDependenciesFirst);
            uint dependenciesCount = U32(record + FormatConstants.EntryOffsetDependenciesCount);
            Require(kind is (ushort)ResourceKind.ManagedAssembly or (ushort)ResourceKind.NativeLibrary or (ushort)ResourceKind.Content,
                $"entry '{name}' has unknown kind {kind}");
            bool sizesAgree = (codec == FormatConstants.CodecStored && storedSize == originalSize)
                || (codec == FormatConstants.CodecLz4 && storedSize < originalSize && originalSize <= int.MaxValue);
            // A mapped library is a stored native library on a page boundary (the host maps its segments from the file).
            bool flagsValid = entryFlags == 0 || (entryFlags == FormatConstants.EntryFlagMappedLibrary && kind == (ushort)ResourceKind.NativeLibrary
                && codec == FormatConstants.CodecStored && dataOffset % FormatConstants.LibraryAlignment == 0);
            Require(sizesAgree && flagsValid, $"entry '{name}' has unknown codec {codec} or flags {entryFlags}, or sizes that disagree");
            Require(RangeFits(dataOffset, storedSize, payloadSize)
                && !(kind == (ushort)ResourceKind.ManagedAssembly && codec == FormatConstants.CodecStored && dataOffset % FormatConstants.AssemblyAlignment != 0),
                $"entry '{name}' has data outside the payload or misaligned");
            Require(RangeFits(dependenciesFirst, dependenciesCount, dependencyCount) && (dependenciesCount == 0 || kind == (ushort)ResourceKind.NativeLibrary),
                $"entry '{name}' has a malformed dependency list");
            kinds[i] = kind;
            var sha256 = new byte[32];
            _view.ReadArray(record + FormatConstants.EntryOffsetSha256, sha256, 0, 32);
            list.Add(new PackedEntry(name, (ResourceKind)kind, codec, payload + (long)dataOffset, (long)storedSize, (long)originalSize, sha256));
        }

        // Cross references.
        for (long i = 0; i < dependencyCount; i++)
        {
            uint target = U32(dependencies + i * FormatConstants.DependencySize);
            Require(target < entryCount && kinds[target] == (ushort)ResourceKind.NativeLibrary,
                $"dependency {i} names entry {target}, which is not a packed native library");
        }
        var propertyList = new List<KeyValuePair<string, string>>((int)propertyCount);
        for (long i = 0; i < propertyCount; i++)
        {
            long record = properties + i * FormatConstants.PropertySize;
            byte[]? key = ResolveString(record + FormatConstants.PropertyOffsetKey, FormatConstants.MaxNameLength);
            byte[]? value = ResolveString(record + FormatConstants.PropertyOffsetValue, uint.MaxValue - 1);
            Require(key is not null && value is not null, $"runtime property {i} has a malformed string");
            propertyList.Add(new(Encoding.UTF8.GetString(key!), Encoding.UTF8.GetString(value!)));
        }
        uint entryAssembly = U32(payload + FormatConstants.HeaderOffsetEntryAssemblyIndex);
        if (nativeAot)
        {
            Require(entryAssembly == FormatConstants.NoEntryAssembly, $"a Native AOT payload names entry assembly {entryAssembly}; it has none");
            return (Encoding.UTF8.GetString(runtimeVersion!), Encoding.UTF8.GetString(runtimeIdentifier!), list, propertyList, "");
        }
        Require(entryAssembly < entryCount && kinds[entryAssembly] == (ushort)ResourceKind.ManagedAssembly,
            $"the entry assembly index {entryAssembly} does not name a managed assembly");
        return (Encoding.UTF8.GetString(runtimeVersion!), Encoding.UTF8.GetString(runtimeIdentifier!), list, propertyList, list[(int)entryAssembly].Name);
    }

    /// <summary>offset + length &lt;= limit, without overflow (payload.c's range_fits).</summary>
    /// <summary>
    /// Where the trailer ends (payload.c's trailer_end): the end of the file, or, in a PE signed after publishing, the
    /// start of the certificate table signtool or osslsigncode appended (Authenticode), when the PE security directory
    /// (whose address is a file offset) says that table ends the file. Anything that is not such a PE gives the end.
    /// </summary>
    private long TrailerEnd()
    {
        const int headerPointer = 0x3C, optionalHeaderOffset = 24, optionalHeaderSizeOffset = 20, securityDirectory = 4;
        const uint peSignature = 0x00004550;
        ulong length = (ulong)Length;
        if (length < headerPointer + 4 || _view.ReadByte(0) != (byte)'M' || _view.ReadByte(1) != (byte)'Z')
            return Length;
        ulong signature = _view.ReadUInt32(headerPointer);
        if (!RangeFits(signature, optionalHeaderOffset + 2, length) || _view.ReadUInt32((long)signature) != peSignature)
            return Length;
        ulong optional = signature + optionalHeaderOffset;
        ushort optionalSize = _view.ReadUInt16((long)signature + optionalHeaderSizeOffset);
        ulong directories = _view.ReadUInt16((long)optional) switch { 0x20B => 112, 0x10B => 96, _ => 0 };
        ulong security = directories + securityDirectory * 8;
        if (directories == 0 || optionalSize < security + 8 || !RangeFits(optional, optionalSize, length)
            || _view.ReadUInt32((long)(optional + directories - 4)) <= securityDirectory)
            return Length;
        ulong table = _view.ReadUInt32((long)(optional + security));
        ulong tableSize = _view.ReadUInt32((long)(optional + security + 4));
        return tableSize == 0 || table > length || tableSize != length - table ? Length : (long)table;
    }

    private static bool RangeFits(ulong offset, ulong length, ulong limit) => offset <= limit && length <= limit - offset;

    /// <summary>A relative path whose segments are neither empty, "." nor ".." (payload.c's name_is_relative_path).</summary>
    private static bool IsRelativePath(ReadOnlySpan<byte> name)
    {
        foreach (var range in name.Split((byte)'/'))
        {
            var segment = name[range];
            if (segment.IsEmpty || segment.SequenceEqual("."u8) || segment.SequenceEqual(".."u8))
                return false;
        }
        return true;
    }

    // Every field read lies inside a range already checked against the file; this is a last guard, not a rule.
    private uint U32(long position) => position >= 0 && position + 4 <= Length ? _view.ReadUInt32(position) : throw Corrupt("a field lies outside the file");

    private ulong U64(long position) => position >= 0 && position + 8 <= Length ? _view.ReadUInt64(position) : throw Corrupt("a field lies outside the file");

    private static void Require(bool condition, string what) => Require(condition, PayloadVerdict.Corrupt, what);

    private static void Require(bool condition, PayloadVerdict verdict, string what)
    {
        if (!condition)
            throw Invalid(verdict, what);
    }

    private static InvalidDataException Corrupt(string what) => Invalid(PayloadVerdict.Corrupt, what);

    private const string VerdictKey = "Oxidize.PayloadVerdict";

    /// <summary>The verdict an InvalidDataException from this reader carries (InvalidDataException is sealed).</summary>
    public static PayloadVerdict? VerdictOf(InvalidDataException exception) => exception.Data[VerdictKey] as PayloadVerdict?;

    private static InvalidDataException Invalid(PayloadVerdict verdict, string what)
    {
        var exception = new InvalidDataException($"Not a valid Oxidize executable: {what}.");
        exception.Data[VerdictKey] = verdict;
        return exception;
    }
}

/// <summary>Why a file is not a readable oxidized executable: the host's exit code for the same file (docs/errors.md).</summary>
#if OXIDIZE_FORMAT_INTERNAL
internal
#else
public
#endif
enum PayloadVerdict
{
    /// <summary>No Oxidize trailer: a bare host, a truncated file, another file (host exit code 181).</summary>
    Missing = 181,

    /// <summary>Damaged: a check of docs/format.md's reader rules failed (182).</summary>
    Corrupt = 182,

    /// <summary>A format version this reader does not know (183).</summary>
    UnsupportedFormat = 183,
}

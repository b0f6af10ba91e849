using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Oxidize.Packing;

/// <summary>
/// Writes the packed-resources payload (docs/format.md) and the executable that carries it.
/// Output depends only on the inputs: entries are sorted by name, strings are laid out in a fixed
/// order, padding is zeros, and nothing time- or machine-dependent is recorded.
/// </summary>
public static class PackedResourcesWriter
{
    private static ReadOnlySpan<byte> ElfMagic => [0x7F, (byte)'E', (byte)'L', (byte)'F'];

    /// <summary>Writes host, zero padding to a page boundary, payload and trailer.</summary>
    public static void WriteExecutable(Stream output, ReadOnlySpan<byte> host, PackageManifest manifest)
    {
        if (!host.StartsWith(ElfMagic))
            throw new PackingException(PackingErrorCodes.HostNotElf, "The native host is not an ELF file.");
        byte[] payload = WritePayload(manifest);
        long payloadOffset = AlignUp(host.Length, FormatConstants.PayloadAlignment);
        output.Write(host);
        output.Write(new byte[payloadOffset - host.Length]);
        output.Write(payload);

        var trailer = new byte[FormatConstants.TrailerSize];
        BinaryPrimitives.WriteUInt64LittleEndian(trailer.AsSpan(FormatConstants.TrailerOffsetMagic), FormatConstants.TrailerMagic);
        BinaryPrimitives.WriteUInt64LittleEndian(trailer.AsSpan(FormatConstants.TrailerOffsetPayloadOffset), (ulong)payloadOffset);
        BinaryPrimitives.WriteUInt64LittleEndian(trailer.AsSpan(FormatConstants.TrailerOffsetPayloadSize), (ulong)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(trailer.AsSpan(FormatConstants.TrailerOffsetFormatVersion), FormatConstants.FormatVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(trailer.AsSpan(FormatConstants.TrailerOffsetTrailerSize), FormatConstants.TrailerSize);
        output.Write(trailer);
    }

    /// <summary>The payload alone: header, entry table, properties, dependencies, strings, then data.</summary>
    public static byte[] WritePayload(PackageManifest manifest)
    {
        var resources = Validate(manifest);
        var indexByName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < resources.Count; i++)
            indexByName.Add(resources[i].Name, i);

        var strings = new StringTable();
        long runtimeVersion = strings.Add(manifest.RuntimeVersion);
        long runtimeIdentifier = strings.Add(manifest.RuntimeIdentifier);
        var nameRefs = resources.Select(resource => strings.Add(resource.Name)).ToArray();
        var propertyRefs = manifest.Properties.Select(property => (Key: strings.Add(property.Key), Value: strings.Add(property.Value))).ToArray();

        var dependencies = new List<uint>();
        var dependencyRanges = new (int First, int Count)[resources.Count];
        for (int i = 0; i < resources.Count; i++)
        {
            int first = dependencies.Count;
            foreach (string dependency in resources[i].Dependencies ?? [])
            {
                if (!indexByName.TryGetValue(dependency, out int target) || resources[target].Kind != ResourceKind.NativeLibrary
                    || resources[i].Kind != ResourceKind.NativeLibrary)
                    throw new PackingException(PackingErrorCodes.UnknownDependency,
                        $"'{resources[i].Name}' depends on '{dependency}', which is not a packed native library.", resources[i].Name, dependency);
                dependencies.Add((uint)target);
            }
            dependencyRanges[i] = (dependencies.Count > first ? first : 0, dependencies.Count - first);
        }

        long entriesOffset = FormatConstants.HeaderSize;
        long propertiesOffset = entriesOffset + (long)resources.Count * FormatConstants.EntrySize;
        long dependenciesOffset = propertiesOffset + (long)propertyRefs.Length * FormatConstants.PropertySize;
        long stringsOffset = dependenciesOffset + (long)dependencies.Count * FormatConstants.DependencySize;
        byte[] stringBytes = strings.ToArray();
        long dataOffset = AlignUp(stringsOffset + stringBytes.Length, FormatConstants.DataAlignment);

        // Entries are independent, so both cores compress; the result does not depend on the order.
        IReadOnlySet<string> keptStored = StoredEntries.For(manifest);
        var compressed = new byte[]?[resources.Count];
        Parallel.For(0, resources.Count, i => compressed[i] = keptStored.Contains(resources[i].Name)
            ? null
            : EntryCompressor.TryCompress(resources[i].Content, manifest.Compression));
        byte[] StoredBytes(int i) => compressed[i] ?? resources[i].Content;

        var dataOffsets = new long[resources.Count];
        for (int i = 0; i < resources.Count; i++)
        {
            // Only a stored assembly is mapped from the file; a compressed one is decoded into memory first.
            bool mapped = resources[i].Kind == ResourceKind.ManagedAssembly && compressed[i] is null;
            dataOffset = AlignUp(dataOffset, mapped ? FormatConstants.AssemblyAlignment : FormatConstants.DataAlignment);
            dataOffsets[i] = dataOffset;
            dataOffset += StoredBytes(i).Length;
        }

        var payload = new byte[dataOffset];
        var header = payload.AsSpan(0, FormatConstants.HeaderSize);
        BinaryPrimitives.WriteUInt64LittleEndian(header[FormatConstants.HeaderOffsetMagic..], FormatConstants.HeaderMagic);
        WriteU32(header, FormatConstants.HeaderOffsetFormatVersion, FormatConstants.FormatVersion);
        WriteU32(header, FormatConstants.HeaderOffsetHeaderSize, FormatConstants.HeaderSize);
        WriteU32(header, FormatConstants.HeaderOffsetEntryCount, resources.Count);
        WriteU32(header, FormatConstants.HeaderOffsetEntrySize, FormatConstants.EntrySize);
        WriteU64(header, FormatConstants.HeaderOffsetEntriesOffset, entriesOffset);
        WriteU64(header, FormatConstants.HeaderOffsetStringsOffset, stringsOffset);
        WriteU64(header, FormatConstants.HeaderOffsetStringsSize, stringBytes.Length);
        WriteU32(header, FormatConstants.HeaderOffsetPropertyCount, propertyRefs.Length);
        WriteU32(header, FormatConstants.HeaderOffsetPropertySize, FormatConstants.PropertySize);
        WriteU64(header, FormatConstants.HeaderOffsetPropertiesOffset, propertiesOffset);
        WriteU32(header, FormatConstants.HeaderOffsetRuntimeContract, RuntimeConfig.MajorVersion(manifest.RuntimeVersion));
        WriteU32(header, FormatConstants.HeaderOffsetEntryAssemblyIndex, indexByName[manifest.EntryAssemblyName]);
        WriteStringRef(header, FormatConstants.HeaderOffsetRuntimeVersion, runtimeVersion, manifest.RuntimeVersion);
        WriteStringRef(header, FormatConstants.HeaderOffsetRuntimeIdentifier, runtimeIdentifier, manifest.RuntimeIdentifier);
        WriteU32(header, FormatConstants.HeaderOffsetFlags, (manifest.DiagnosticsEnabled ? FormatConstants.FlagDiagnosticsEnabled : 0)
            | (manifest.StartupHooksEnabled ? FormatConstants.FlagStartupHooksEnabled : 0)
            | (manifest.PackedFilesReadOnly ? FormatConstants.FlagPackedFilesReadOnly : 0));
        WriteU32(header, FormatConstants.HeaderOffsetDependencyCount, dependencies.Count);
        WriteU64(header, FormatConstants.HeaderOffsetDependenciesOffset, dependencies.Count > 0 ? dependenciesOffset : 0);

        for (int i = 0; i < resources.Count; i++)
        {
            var resource = resources[i];
            var entry = payload.AsSpan((int)(entriesOffset + (long)i * FormatConstants.EntrySize), FormatConstants.EntrySize);
            WriteStringRef(entry, FormatConstants.EntryOffsetName, nameRefs[i], resource.Name);
            BinaryPrimitives.WriteUInt16LittleEndian(entry[FormatConstants.EntryOffsetKind..], (ushort)resource.Kind);
            BinaryPrimitives.WriteUInt16LittleEndian(entry[FormatConstants.EntryOffsetCodec..],
                (ushort)(compressed[i] is null ? FormatConstants.CodecStored : FormatConstants.CodecLz4));
            WriteU64(entry, FormatConstants.EntryOffsetDataOffset, dataOffsets[i]);
            WriteU64(entry, FormatConstants.EntryOffsetStoredSize, StoredBytes(i).Length);
            WriteU64(entry, FormatConstants.EntryOffsetOriginalSize, resource.Content.Length);
            SHA256.HashData(resource.Content, entry.Slice(FormatConstants.EntryOffsetSha256, 32));
            WriteU32(entry, FormatConstants.EntryOffsetDependenciesFirst, dependencyRanges[i].First);
            WriteU32(entry, FormatConstants.EntryOffsetDependenciesCount, dependencyRanges[i].Count);
            StoredBytes(i).CopyTo(payload.AsSpan((int)dataOffsets[i]));
        }
        for (int i = 0; i < propertyRefs.Length; i++)
        {
            var record = payload.AsSpan((int)(propertiesOffset + (long)i * FormatConstants.PropertySize), FormatConstants.PropertySize);
            WriteStringRef(record, FormatConstants.PropertyOffsetKey, propertyRefs[i].Key, manifest.Properties[i].Key);
            WriteStringRef(record, FormatConstants.PropertyOffsetValue, propertyRefs[i].Value, manifest.Properties[i].Value);
        }
        for (int i = 0; i < dependencies.Count; i++)
            WriteU32(payload, (int)(dependenciesOffset + (long)i * FormatConstants.DependencySize), (int)dependencies[i]);
        stringBytes.CopyTo(payload.AsSpan((int)stringsOffset));
        return payload;
    }

    private static List<PackedResource> Validate(PackageManifest manifest)
    {
        if (manifest.Resources.Count == 0 || manifest.Resources.Count > FormatConstants.MaxEntryCount)
            throw new PackingException(PackingErrorCodes.TooManyEntries,
                $"{manifest.Resources.Count} resources cannot be packed; the format holds 1 to {FormatConstants.MaxEntryCount}.", manifest.Resources.Count);
        if (manifest.Properties.Count > FormatConstants.MaxPropertyCount)
            throw new PackingException(PackingErrorCodes.InvalidProperty,
                $"{manifest.Properties.Count} runtime properties cannot be packed; the format holds at most {FormatConstants.MaxPropertyCount}.", manifest.Properties.Count);
        foreach (var property in manifest.Properties)
        {
            if (!ResourceName.IsValidText(property.Key, FormatConstants.MaxNameLength) || !ResourceName.IsValidText(property.Value, int.MaxValue, allowEmpty: true))
                throw new PackingException(PackingErrorCodes.InvalidProperty,
                    $"The runtime property '{property.Key}' has an empty or over-long key, or a NUL character.", property.Key);
        }
        foreach (var resource in manifest.Resources)
        {
            if (!ResourceName.IsValid(resource.Name, out string reason))
                throw new PackingException(PackingErrorCodes.InvalidName, $"'{resource.Name}' cannot be packed: {reason}.", resource.Name, reason);
        }
        var sorted = manifest.Resources.OrderBy(resource => Encoding.UTF8.GetBytes(resource.Name), ByteArrayOrdinalComparer.Instance).ToList();
        for (int i = 1; i < sorted.Count; i++)
        {
            if (sorted[i].Name == sorted[i - 1].Name)
                throw new PackingException(PackingErrorCodes.DuplicateName, $"Two resources are both named '{sorted[i].Name}'.", sorted[i].Name);
        }
        var entry = sorted.FirstOrDefault(resource => resource.Name == manifest.EntryAssemblyName);
        if (entry is null || entry.Kind != ResourceKind.ManagedAssembly)
            throw new PackingException(PackingErrorCodes.EntryAssemblyMissing,
                $"The entry assembly '{manifest.EntryAssemblyName}' is not among the managed assemblies packed.", manifest.EntryAssemblyName);
        return sorted;
    }

    private static long AlignUp(long value, int alignment) => (value + alignment - 1) / alignment * alignment;

    private static void WriteU32(Span<byte> target, int offset, long value) =>
        BinaryPrimitives.WriteUInt32LittleEndian(target[offset..], checked((uint)value));

    private static void WriteU64(Span<byte> target, int offset, long value) =>
        BinaryPrimitives.WriteUInt64LittleEndian(target[offset..], checked((ulong)value));

    private static void WriteStringRef(Span<byte> target, int offset, long stringOffset, string text)
    {
        WriteU32(target, offset, stringOffset);
        WriteU32(target, offset + 4, Encoding.UTF8.GetByteCount(text));
    }

    /// <summary>UTF-8 strings, each stored once and followed by a NUL, in order of first use.</summary>
    private sealed class StringTable
    {
        private readonly Dictionary<string, long> _offsets = new(StringComparer.Ordinal);
        private readonly MemoryStream _bytes = new();

        public long Add(string text)
        {
            if (_offsets.TryGetValue(text, out long offset))
                return offset;
            offset = _bytes.Length;
            _bytes.Write(Encoding.UTF8.GetBytes(text));
            _bytes.WriteByte(0);
            _offsets.Add(text, offset);
            return offset;
        }

        public byte[] ToArray() => _bytes.ToArray();
    }

    private sealed class ByteArrayOrdinalComparer : IComparer<byte[]>
    {
        public static readonly ByteArrayOrdinalComparer Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y.AsSpan());
    }
}

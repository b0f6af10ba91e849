using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Oxidize.Packing.Lz4;

namespace Oxidize.Packing;

/// <summary>
/// Writes the packed-resources payload (docs/format.md) and the executable that carries it.
/// Output depends only on the inputs: entries are sorted by name, strings are laid out in a fixed
/// order, padding is zeros, and nothing time- or machine-dependent is recorded.
/// </summary>
public static class PackedResourcesWriter
{
    private static ReadOnlySpan<byte> ElfMagic => [0x7F, (byte)'E', (byte)'L', (byte)'F'];

    private static ReadOnlySpan<byte> PeMagic => [(byte)'M', (byte)'Z'];

    /// <summary>The alignment of a PE certificate table (WIN_CERTIFICATE entries are 8-aligned).</summary>
    private const int SignatureAlignment = 8;

    /// <summary>Writes host, zero padding to a page boundary, payload and trailer. <paramref name="file"/> must be
    /// empty and seekable (the index is written once the entries' sizes are known); a file stream is. The host must be
    /// an executable of the manifest's runtime identifier: ELF for linux-*, PE for win-* (where the payload follows the
    /// PE image as an overlay, which the Windows loader never maps).</summary>
    public static void WriteExecutable(Stream file, ReadOnlySpan<byte> host, PayloadManifest manifest)
    {
        if (NativeFormats.ForRuntimeIdentifier(manifest.RuntimeIdentifier) == NativeFormat.Pe)
        {
            if (!host.StartsWith(PeMagic))
                throw new PackingException(PackingErrorCodes.HostNotExecutable, $"The native host is not a PE (Windows) executable, which {manifest.RuntimeIdentifier} needs.");
        }
        else if (!host.StartsWith(ElfMagic))
        {
            throw new PackingException(PackingErrorCodes.HostNotExecutable, $"The native host is not an ELF file, which {manifest.RuntimeIdentifier} needs.");
        }
        var output = new SmallWritesStream(file); // small page-cache folios, so that a run maps no more than it touches
        long payloadOffset = AlignUp(host.Length, FormatConstants.PayloadAlignment);
        output.Write(host);
        output.Write(new byte[payloadOffset - host.Length]);
        long payloadSize = WritePayload(output, manifest);
        // Zeros to a multiple of 8, so the file ends 8-aligned: Authenticode signing (signtool, osslsigncode) pads the
        // file to 8 before appending its certificate table, and then adds nothing, so the trailer ends exactly where
        // the table begins (the readers' rule, docs/format.md).
        long padding = AlignUp(payloadSize, SignatureAlignment) - payloadSize;
        output.Write(new byte[padding]);
        payloadSize += padding;

        var trailer = new byte[FormatConstants.TrailerSize];
        BinaryPrimitives.WriteUInt64LittleEndian(trailer.AsSpan(FormatConstants.TrailerOffsetMagic), FormatConstants.TrailerMagic);
        BinaryPrimitives.WriteUInt64LittleEndian(trailer.AsSpan(FormatConstants.TrailerOffsetPayloadOffset), (ulong)payloadOffset);
        BinaryPrimitives.WriteUInt64LittleEndian(trailer.AsSpan(FormatConstants.TrailerOffsetPayloadSize), (ulong)payloadSize);
        BinaryPrimitives.WriteUInt32LittleEndian(trailer.AsSpan(FormatConstants.TrailerOffsetFormatVersion), FormatConstants.FormatVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(trailer.AsSpan(FormatConstants.TrailerOffsetTrailerSize), FormatConstants.TrailerSize);
        output.Write(trailer);
    }

    /// <summary>The payload alone, in memory: for tests and small manifests.</summary>
    public static byte[] WritePayload(PayloadManifest manifest)
    {
        using var payload = new MemoryStream();
        WritePayload(payload, manifest);
        return payload.ToArray();
    }

    /// <summary>
    /// Writes the payload (header, entry table, properties, dependencies, strings, then data) at the position of
    /// the seekable <paramref name="output"/>, leaves the stream at its end, and returns its size. Entries are
    /// streamed one by one: memory holds one entry at a time (a window of entries, one a core, under compression,
    /// since LZ4 encodes a whole entry as one block), never the app.
    /// </summary>
    public static long WritePayload(Stream output, PayloadManifest manifest)
    {
        if (!output.CanSeek)
            throw new ArgumentException("The payload is written to a seekable stream: its index goes before the data it describes.", nameof(output));
        long payloadStart = output.Position;
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
        long indexSize = AlignUp(stringsOffset + stringBytes.Length, FormatConstants.DataAlignment);

        // The index's size does not depend on the data, so the data goes after a zeroed index that is filled in last.
        var index = new byte[indexSize];
        output.Write(index);
        var written = WriteEntryData(output, resources, StoredEntries.For(manifest), manifest.Compression, indexSize);
        long payloadSize = output.Position - payloadStart;

        var header = index.AsSpan(0, FormatConstants.HeaderSize);
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
        WriteU32(header, FormatConstants.HeaderOffsetEntryAssemblyIndex,
            manifest.NativeAot ? FormatConstants.NoEntryAssembly : indexByName[manifest.EntryAssemblyName]);
        WriteStringRef(header, FormatConstants.HeaderOffsetRuntimeVersion, runtimeVersion, manifest.RuntimeVersion);
        WriteStringRef(header, FormatConstants.HeaderOffsetRuntimeIdentifier, runtimeIdentifier, manifest.RuntimeIdentifier);
        WriteU32(header, FormatConstants.HeaderOffsetFlags, (manifest.DiagnosticsEnabled ? FormatConstants.FlagDiagnosticsEnabled : 0)
            | (manifest.StartupHooksEnabled ? FormatConstants.FlagStartupHooksEnabled : 0)
            | (manifest.PackedFilesReadOnly ? FormatConstants.FlagPackedFilesReadOnly : 0)
            | (manifest.NativeAot ? FormatConstants.FlagNativeAot : 0));
        WriteU32(header, FormatConstants.HeaderOffsetDependencyCount, dependencies.Count);
        WriteU64(header, FormatConstants.HeaderOffsetDependenciesOffset, dependencies.Count > 0 ? dependenciesOffset : 0);

        for (int i = 0; i < resources.Count; i++)
        {
            var entry = index.AsSpan(checked((int)(entriesOffset + (long)i * FormatConstants.EntrySize)), FormatConstants.EntrySize);
            WriteStringRef(entry, FormatConstants.EntryOffsetName, nameRefs[i], resources[i].Name);
            BinaryPrimitives.WriteUInt16LittleEndian(entry[FormatConstants.EntryOffsetKind..], (ushort)resources[i].Kind);
            BinaryPrimitives.WriteUInt16LittleEndian(entry[FormatConstants.EntryOffsetCodec..], (ushort)written[i].Codec);
            WriteU32(entry, FormatConstants.EntryOffsetFlags, resources[i].MappedLibrary ? FormatConstants.EntryFlagMappedLibrary : 0);
            WriteU64(entry, FormatConstants.EntryOffsetDataOffset, written[i].DataOffset);
            WriteU64(entry, FormatConstants.EntryOffsetStoredSize, written[i].StoredSize);
            WriteU64(entry, FormatConstants.EntryOffsetOriginalSize, written[i].OriginalSize);
            written[i].Sha256.CopyTo(entry.Slice(FormatConstants.EntryOffsetSha256, 32));
            WriteU32(entry, FormatConstants.EntryOffsetDependenciesFirst, dependencyRanges[i].First);
            WriteU32(entry, FormatConstants.EntryOffsetDependenciesCount, dependencyRanges[i].Count);
        }
        for (int i = 0; i < propertyRefs.Length; i++)
        {
            var record = index.AsSpan(checked((int)(propertiesOffset + (long)i * FormatConstants.PropertySize)), FormatConstants.PropertySize);
            WriteStringRef(record, FormatConstants.PropertyOffsetKey, propertyRefs[i].Key, manifest.Properties[i].Key);
            WriteStringRef(record, FormatConstants.PropertyOffsetValue, propertyRefs[i].Value, manifest.Properties[i].Value);
        }
        for (int i = 0; i < dependencies.Count; i++)
            WriteU32(index, checked((int)(dependenciesOffset + (long)i * FormatConstants.DependencySize)), (int)dependencies[i]);
        stringBytes.CopyTo(index.AsSpan(checked((int)stringsOffset)));

        output.Position = payloadStart;
        output.Write(index);
        output.Position = payloadStart + payloadSize;
        return payloadSize;
    }

    /// <summary>Where and how one entry's bytes were written.</summary>
    private readonly record struct WrittenEntry(int Codec, long DataOffset, long StoredSize, long OriginalSize, byte[] Sha256);

    /// <summary>
    /// Writes every entry's bytes in entry order from payload offset <paramref name="dataOffset"/> on. Entries that may
    /// be compressed are read whole and encoded a window at a time, one entry a core (LZ4 encodes an entry as one
    /// block); all others are copied in chunks and hashed as they go. The bytes written do not depend on the window.
    /// </summary>
    private static WrittenEntry[] WriteEntryData(Stream output, List<PackedResource> resources, IReadOnlySet<string> keptStored,
        Compression compression, long dataOffset)
    {
        var written = new WrittenEntry[resources.Count];
        int window = Math.Max(1, Environment.ProcessorCount);
        var prepared = new PreparedEntry?[window];
        for (int windowStart = 0; windowStart < resources.Count; windowStart += window)
        {
            int count = Math.Min(window, resources.Count - windowStart);
            Array.Clear(prepared);
            Parallel.For(0, count, slot =>
            {
                var resource = resources[windowStart + slot];
                if (compression != Compression.None && !keptStored.Contains(resource.Name) && !resource.MappedLibrary
                    && resource.Source.Length <= Lz4Codec.MaxInputLength)
                {
                    byte[] content = resource.Source.ReadAllBytes();
                    prepared[slot] = new PreparedEntry(content, EntryCompressor.TryCompress(content, compression), SHA256.HashData(content));
                }
            });
            for (int slot = 0; slot < count; slot++)
            {
                int i = windowStart + slot;
                var resource = resources[i];
                bool compressed = prepared[slot]?.Block is not null;
                // Only a stored assembly is mapped from the file; a compressed one is decoded into memory first. A large
                // stored content file may be mapped by the app (MemoryMappedFile) through the host's view of it. A mapped
                // library's segments are mapped from the file by the host's ELF loader: page-aligned too.
                bool mapped = (!compressed && (resource.Kind == ResourceKind.ManagedAssembly
                    || (resource.Kind == ResourceKind.Content && resource.Source.Length >= FormatConstants.MappedContentMinimumSize)))
                    || resource.MappedLibrary;
                long aligned = AlignUp(dataOffset, mapped ? FormatConstants.AssemblyAlignment : FormatConstants.DataAlignment);
                WriteZeros(output, aligned - dataOffset);
                dataOffset = aligned;
                if (prepared[slot] is { } entry)
                {
                    byte[] bytes = entry.Block ?? entry.Content;
                    output.Write(bytes);
                    written[i] = new WrittenEntry(compressed ? FormatConstants.CodecLz4 : FormatConstants.CodecStored,
                        dataOffset, bytes.Length, entry.Content.Length, entry.Sha256);
                }
                else
                {
                    var (length, sha256) = CopyAndHash(resource, output);
                    written[i] = new WrittenEntry(FormatConstants.CodecStored, dataOffset, length, length, sha256);
                }
                dataOffset += written[i].StoredSize;
                prepared[slot] = null;
            }
        }
        return written;
    }

    /// <summary>An entry read whole for compression: its bytes, its LZ4 block (null when it stays stored) and digest.</summary>
    private sealed record PreparedEntry(byte[] Content, byte[]? Block, byte[] Sha256);

    private static (long Length, byte[] Sha256) CopyAndHash(PackedResource resource, Stream output)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(CopyChunkSize);
        try
        {
            using Stream input = resource.Source.OpenRead();
            long length = 0;
            int read;
            while ((read = input.Read(buffer, 0, CopyChunkSize)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                output.Write(buffer, 0, read);
                length += read;
            }
            if (length != resource.Source.Length)
                throw new IOException($"'{resource.Name}' changed size while it was being packed ({resource.Source.Length} then {length} bytes).");
            return (length, hash.GetHashAndReset());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private const int CopyChunkSize = 1 << 20;

    private static void WriteZeros(Stream output, long count)
    {
        Span<byte> zeros = stackalloc byte[FormatConstants.AssemblyAlignment];
        zeros.Clear();
        for (; count > 0; count -= zeros.Length)
            output.Write(zeros[..(int)Math.Min(count, zeros.Length)]);
    }

    private static List<PackedResource> Validate(PayloadManifest manifest)
    {
        if ((manifest.Resources.Count == 0 && !manifest.NativeAot) || manifest.Resources.Count > FormatConstants.MaxEntryCount)
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
            if (resource.MappedLibrary && resource.Kind != ResourceKind.NativeLibrary)
                throw new ArgumentException($"'{resource.Name}' is marked as a mapped library but is not a native library.", nameof(manifest));
            if (!ResourceName.IsValid(resource.Name, out string reason))
                throw new PackingException(PackingErrorCodes.InvalidName, $"'{resource.Name}' cannot be packed: {reason}.", resource.Name, reason);
        }
        var sorted = manifest.Resources.OrderBy(resource => Encoding.UTF8.GetBytes(resource.Name), ByteArrayOrdinalComparer.Instance).ToList();
        for (int i = 1; i < sorted.Count; i++)
        {
            if (sorted[i].Name == sorted[i - 1].Name)
                throw new PackingException(PackingErrorCodes.DuplicateName, $"Two resources are both named '{sorted[i].Name}'.", sorted[i].Name);
        }
        if (manifest.NativeAot)
        {
            // The AOT binary holds the app's code; a packed assembly could never be loaded (AOT cannot load IL).
            var assembly = sorted.FirstOrDefault(resource => resource.Kind == ResourceKind.ManagedAssembly);
            if (assembly is not null || manifest.EntryAssemblyName.Length > 0)
                throw new PackingException(PackingErrorCodes.ManagedAssemblyInNativeAot,
                    $"A Native AOT app cannot load the managed assembly '{assembly?.Name ?? manifest.EntryAssemblyName}' from its payload.",
                    assembly?.Name ?? manifest.EntryAssemblyName);
            return sorted;
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

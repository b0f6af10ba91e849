namespace Oxidize.Packing;

/// <summary>
/// Where a resource's bytes are. The writer streams them straight to the executable, so a publish never
/// holds the whole app in memory: a file is read when its entry is written (or, for LZ4, compressed), and
/// only the parsers that need a code file whole (ELF, assembly metadata) read that one file into memory.
/// </summary>
public abstract class ResourceContent
{
    /// <summary>Size in bytes.</summary>
    public abstract long Length { get; }

    /// <summary>A fresh read-only stream over the bytes, positioned at the start.</summary>
    public abstract Stream OpenRead();

    /// <summary>All the bytes, for parsers that need a whole code file and for entries LZ4 compresses (one block
    /// an entry). Throws a <see cref="PackingException"/> for a file too large to hold in one array.</summary>
    public abstract byte[] ReadAllBytes();

    /// <summary>Up to <paramref name="count"/> bytes from the start: enough to classify a file.</summary>
    public byte[] ReadPrefix(int count)
    {
        var prefix = new byte[(int)Math.Min(count, Length)];
        using Stream stream = OpenRead();
        stream.ReadExactly(prefix);
        return prefix;
    }

    public static ResourceContent FromBytes(byte[] bytes) => new BytesContent(bytes);

    /// <summary>The file at <paramref name="path"/>, read only when needed; its size is taken now.</summary>
    public static ResourceContent FromFile(string path) => new FileContent(path, new FileInfo(path).Length);

    private sealed class BytesContent(byte[] bytes) : ResourceContent
    {
        public override long Length => bytes.Length;

        public override Stream OpenRead() => new MemoryStream(bytes, writable: false);

        public override byte[] ReadAllBytes() => bytes;
    }

    private sealed class FileContent(string path, long length) : ResourceContent
    {
        public override long Length => length;

        public override Stream OpenRead() =>
            new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);

        public override byte[] ReadAllBytes()
        {
            if (length > Array.MaxLength)
                throw new PackingException(PackingErrorCodes.EntryTooLarge,
                    $"'{path}' ({length} bytes) is too large to read whole; only stored entries may exceed {Array.MaxLength} bytes.", path, length);
            byte[] bytes = File.ReadAllBytes(path);
            if (bytes.Length != length)
                throw new IOException($"'{path}' changed size while it was being packed ({length} then {bytes.Length} bytes).");
            return bytes;
        }
    }
}

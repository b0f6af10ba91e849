namespace Oxidize.Packing;

/// <summary>
/// Passes everything to the stream it wraps, but hands over written bytes at most <see cref="MaximumWrite"/> at a time.
/// Why: on Linux with large page-cache folios (ext4 on 6.x kernels), a buffered write of N bytes puts them in folios of
/// up to N bytes, and a page fault on a mapping of the file maps the whole folio. The executable is mapped by every run
/// (assemblies, the runtime's code); written in 1 MB pieces, each page a run touched brought up to 1 MB of its
/// neighbours into that process's RSS (hello world's peak RSS 32-37 MB instead of 28.5 MB, docs/performance.md). Small
/// writes keep the folios small, as .NET's own single-file bundler leaves them. The bytes written are the same.
/// </summary>
public sealed class SmallWritesStream(Stream inner) : Stream
{
    /// <summary>16 KiB: measured as small as 4 KiB for RSS, and few enough system calls (about 5,000 for 80 MB).</summary>
    public const int MaximumWrite = 16 * 1024;

    public override bool CanRead => inner.CanRead;
    public override bool CanSeek => inner.CanSeek;
    public override bool CanWrite => inner.CanWrite;
    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            int piece = Math.Min(buffer.Length, MaximumWrite);
            inner.Write(buffer[..piece]);
            buffer = buffer[piece..];
        }
    }

    public override void WriteByte(byte value) => inner.WriteByte(value);
    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
    public override void SetLength(long value) => inner.SetLength(value);
    public override void Flush() => inner.Flush();
}

// Reads data/large.bin (beside the executable, as an app reads its content files) by FileStream, File.ReadAllBytes,
// RandomAccess at an offset, a MemoryMappedFile (and data/small.txt through one) and File.Copy to the path given as the first argument, and prints one
// line per way: "<way>: <length> <sha256 of the bytes read>". Also prints where the FileStream's descriptor points
// (/proc/self/fd): the executable itself for a packed file read without a copy, "memfd" for a copy in memory; and
// what a change of the file's mode through an open handle (fchmod, which the host answers on a copy) leaves.
using System.IO.MemoryMappedFiles;
using System.Security.Cryptography;

[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

string path = Path.Combine(AppContext.BaseDirectory, "data", "large.bin");
string copyTarget = args[0];
long offset = long.Parse(args[1]);
int count = int.Parse(args[2]);

static string Line(string way, long length, byte[] hash) => $"{way}: {length} {Convert.ToHexStringLower(hash)}";

static string Descriptor(FileStream stream)
{
    string target = File.ResolveLinkTarget($"/proc/self/fd/{stream.SafeFileHandle.DangerousGetHandle()}", false)?.FullName ?? "?";
    return target.StartsWith("/memfd:", StringComparison.Ordinal) ? "memfd" : target;
}

using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1))
{
    Console.WriteLine($"descriptor: {Descriptor(stream)}");
    using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    byte[] buffer = new byte[1 << 20];
    long total = 0;
    int read;
    while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
    {
        hash.AppendData(buffer, 0, read);
        total += read;
    }
    Console.WriteLine(Line("filestream", stream.Length == total ? total : -1, hash.GetHashAndReset()));
    stream.Seek(-3, SeekOrigin.End);
    Console.WriteLine($"last bytes: {stream.ReadByte()} {stream.ReadByte()} {stream.ReadByte()} then {stream.ReadByte()}");
}

using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1))
{
    using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    byte[] head = new byte[(1 << 20) + 7];
    stream.ReadExactly(head);
    hash.AppendData(head);
    File.SetUnixFileMode(stream.SafeFileHandle, UnixFileMode.UserRead);
    string descriptor = Descriptor(stream);
    byte[] buffer = new byte[1 << 20];
    long total = head.Length;
    int read;
    while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
    {
        hash.AppendData(buffer, 0, read);
        total += read;
    }
    Console.WriteLine(Line($"after fchmod ({descriptor}, {File.GetUnixFileMode(stream.SafeFileHandle)})", total, hash.GetHashAndReset()));
}

byte[] all = File.ReadAllBytes(path);
Console.WriteLine(Line("readallbytes", all.Length, SHA256.HashData(all)));

using (var handle = File.OpenHandle(path))
{
    byte[] part = new byte[count];
    int got = 0;
    while (got < count)
    {
        int n = RandomAccess.Read(handle, part.AsSpan(got), offset + got);
        if (n == 0)
            break;
        got += n;
    }
    Console.WriteLine(Line($"randomaccess {offset}+{count}", RandomAccess.GetLength(handle), SHA256.HashData(part.AsSpan(0, got))));
    // Two buffers at once (preadv), the second reaching past the end: only the bytes that exist.
    long length = RandomAccess.GetLength(handle);
    byte[] first = new byte[4096], second = new byte[8192];
    long vectored = RandomAccess.Read(handle, new Memory<byte>[] { first, second }, length - 6000);
    Console.WriteLine(Line($"randomaccess vectors at end-6000", vectored, SHA256.HashData([.. first, .. second.AsSpan(0, (int)vectored - first.Length)])));
}

using (var mapped = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read))
{
    using (var view = mapped.CreateViewStream(0, 0, MemoryMappedFileAccess.Read))
        Console.WriteLine(Line("mmap", view.Length, SHA256.HashData(view)));
    using (var view = mapped.CreateViewStream(offset, count, MemoryMappedFileAccess.Read))
        Console.WriteLine(Line($"mmap {offset}+{count}", view.Length, SHA256.HashData(view)));
}

using (var mapped = MemoryMappedFile.CreateFromFile(Path.Combine(AppContext.BaseDirectory, "data", "small.txt"), FileMode.Open, null, 0, MemoryMappedFileAccess.Read))
using (var view = mapped.CreateViewStream(0, 0, MemoryMappedFileAccess.Read))
using (var reader = new StreamReader(view))
    Console.WriteLine($"mmap small: {reader.ReadToEnd().TrimEnd('\0', '\n')}");

File.Copy(path, copyTarget, overwrite: true);
using (var copied = File.OpenRead(copyTarget))
    Console.WriteLine(Line("copy", copied.Length, SHA256.HashData(copied)));

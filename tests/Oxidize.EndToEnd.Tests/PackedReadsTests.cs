using System.Security.Cryptography;
using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// Reading a packed content file costs no copy of it (issue 13, point 5): tests/Samples/PackedReads reads a 24 MB
/// packed file (pseudo-random, not a whole number of pages) by FileStream, File.ReadAllBytes, RandomAccess at an
/// offset (one buffer, and two that reach past the end), a MemoryMappedFile (whole and at an offset; and a small file
/// on no page boundary, which the host maps from a copy) and File.Copy to disk, and every way gets the file's exact
/// bytes and length. Its FileStream's descriptor is the executable itself (the host's view of the entry), not a
/// memfd; an fchmod through a handle goes to a copy of the entry (the rest of the read still gets the right bytes)
/// and never to the executable. The memory and time these cost are measured by eng/bench/memory.sh
/// (docs/performance.md), not here.
/// </summary>
[TestClass]
public sealed class PackedReadsTests
{
    private const int FileLength = 24 * 1024 * 1024 + 12345;
    private const long Offset = 1_000_003;
    private const int Count = 70_000;

    [TestMethod]
    public void EveryWayOfReadingAPackedFileGetsItsBytesWithoutACopy()
    {
        SampleProject sample = SampleProject.Create("PackedReads", nameof(PackedReadsTests));
        byte[] content = new byte[FileLength];
        new Random(13).NextBytes(content);
        string source = Path.Combine(sample.ProjectDirectory, "data", "large.bin");
        Directory.CreateDirectory(Path.GetDirectoryName(source)!);
        File.WriteAllBytes(source, content);

        ProcessResult publish = sample.Publish();
        Assert.AreEqual(0, publish.ExitCode, publish.ToString());
        Assert.IsFalse(File.Exists(Path.Combine(sample.PublishDirectory, "data", "large.bin")), "the file is packed");
        UnixFileMode executableMode = File.GetUnixFileMode(sample.ExecutablePath);

        string copy = Path.Combine(sample.ScratchDirectory, "copy.bin");
        ProcessResult run = ProcessRunner.Run(sample.ExecutablePath, [copy, Offset.ToString(), Count.ToString()],
            timeout: TimeSpan.FromMinutes(2));
        Assert.AreEqual(0, run.ExitCode, run.ToString());

        string whole = $"{FileLength} {Convert.ToHexStringLower(SHA256.HashData(content))}";
        string part = Convert.ToHexStringLower(SHA256.HashData(content.AsSpan((int)Offset, Count)));
        string[] expected =
        [
            $"descriptor: {sample.ExecutablePath}",
            $"filestream: {whole}",
            $"last bytes: {content[^3]} {content[^2]} {content[^1]} then -1",
            $"after fchmod (memfd, {UnixFileMode.UserRead}): {whole}",
            $"readallbytes: {whole}",
            $"randomaccess {Offset}+{Count}: {FileLength} {part}",
            $"randomaccess vectors at end-6000: 6000 {Convert.ToHexStringLower(SHA256.HashData(content.AsSpan(FileLength - 6000)))}",
            $"mmap: {whole}",
            $"mmap {Offset}+{Count}: {Count} {part}",
            "mmap small: a small packed file, mapped from a copy",
            $"copy: {whole}",
        ];
        CollectionAssert.AreEqual(expected, run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries), run.ToString());
        CollectionAssert.AreEqual(content, File.ReadAllBytes(copy), "File.Copy's file on disk");
        Assert.AreEqual(executableMode, File.GetUnixFileMode(sample.ExecutablePath), "the fchmod reached the executable");
        Directory.Delete(sample.ScratchDirectory, recursive: true);
    }
}

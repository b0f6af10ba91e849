using System.Text.RegularExpressions;
using Oxidize.EndToEnd.Tests.Infrastructure;
using Oxidize.Tests.Shared;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// The writer streams (issue 14): publishing an app with a 3 GB content file stays under 512 MB of peak memory, and
/// the executable serves the file's bytes past 2 GiB and its last byte. The file is sparse (a few marker bytes in
/// zeros: compression is off, as by default, so nothing depends on its bytes being compressible); it, the build output
/// and the 3 GB executable are deleted at the end, since the machine's disk is shared.
/// </summary>
[TestClass]
public sealed partial class LargeContentTests
{
    private const long FileLength = 3_000_000_007;
    private const long PeakLimitKilobytes = 512 * 1024;

    /// <summary>Offsets the app is asked for, and the bytes the test wrote there.</summary>
    private static readonly (long Offset, byte Value)[] Markers =
        [(0, 0x4F), (1L << 31, 0x58), ((1L << 31) + 5, 0x49), (FileLength - 1, 0x5A)];

    [TestMethod]
    public void PublishingA3GBContentFileStaysUnder512MBAndTheExecutableServesItsLastByte()
    {
        if (!File.Exists(SampleProject.GnuTime))
            Prerequisite.Missing($"GNU time at {SampleProject.GnuTime} (Debian package time)");
        SampleProject sample = SampleProject.Create("LargeContent", nameof(LargeContentTests));
        try
        {
            string large = Path.Combine(sample.ProjectDirectory, "data", "large.bin");
            Directory.CreateDirectory(Path.GetDirectoryName(large)!);
            using (var file = new FileStream(large, FileMode.CreateNew, FileAccess.Write))
            {
                file.SetLength(FileLength);
                foreach (var (offset, value) in Markers)
                {
                    file.Position = offset;
                    file.WriteByte(value);
                }
            }

            ProcessResult publish = sample.PublishUnderGnuTime();
            Assert.AreEqual(0, publish.ExitCode, publish.ToString());
            long peakKilobytes = long.Parse(MaximumResidentSetSize().Match(publish.StandardError).Groups[1].Value);
            Console.WriteLine($"peak RSS of the publish: {peakKilobytes / 1024} MB");
            Console.WriteLine(publish.StandardError[publish.StandardError.IndexOf("\tCommand being timed", StringComparison.Ordinal)..]);
            Assert.IsTrue(peakKilobytes < PeakLimitKilobytes, $"the publish peaked at {peakKilobytes / 1024} MB{publish}");
            Assert.IsFalse(File.Exists(Path.Combine(sample.PublishDirectory, "data", "large.bin")), "the content file is packed, not copied");
            Assert.IsTrue(new FileInfo(sample.ExecutablePath).Length > FileLength, "the executable carries the file");

            ProcessResult run = ProcessRunner.Run(sample.ExecutablePath, Markers.Select(marker => marker.Offset.ToString()).Append("-1"),
                timeout: TimeSpan.FromMinutes(5));
            Assert.AreEqual(0, run.ExitCode, run.ToString());
            string[] expected =
            [
                $"length {FileLength}",
                .. Markers.Select(marker => $"{marker.Offset}: {marker.Value}"),
                $"-1: {Markers[^1].Value}",
            ];
            CollectionAssert.AreEqual(expected, run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries), run.ToString());
        }
        finally
        {
            Directory.Delete(sample.ScratchDirectory, recursive: true);
        }
    }

    [GeneratedRegex(@"Maximum resident set size \(kbytes\): (\d+)")]
    private static partial Regex MaximumResidentSetSize();
}

using System.Globalization;

namespace Oxidize.EndToEnd.Tests.Infrastructure;

/// <summary>One file packed into an oxidized executable, as `oxidize-inspect` lists it.</summary>
/// <param name="Kind">The format's entry kind (docs/format.md): 1 managed assembly, 2 native library, 3 content.</param>
/// <param name="Codec">0 stored, 1 LZ4.</param>
/// <param name="Dependencies">For native libraries, the packed libraries the host loads first (from DT_NEEDED).</param>
/// <param name="FileOffset">Where its stored bytes start in the executable.</param>
/// <param name="StoredSize">How many bytes are stored there (OriginalSize when Codec is 0).</param>
public sealed record PackedEntry(
    string Name, int Kind, int Codec, long OriginalSize, string Sha256, IReadOnlyList<string> Dependencies, long FileOffset, long StoredSize);

/// <summary>What is inside an oxidized executable, read with the repo's own artifacts/host/oxidize-inspect.</summary>
public static class PackedExecutable
{
    public static string InspectToolPath => Path.Combine(RepoPaths.Root, "artifacts", "host", "oxidize-inspect");

    /// <summary>The payload header's runtime identifier (`rid` in oxidize-inspect's listing), e.g. "linux-x64".</summary>
    public static string RuntimeIdentifier(string executable)
    {
        Assert.IsTrue(File.Exists(InspectToolPath), $"{InspectToolPath} does not exist: run ./build.sh first.");
        ProcessResult inspect = ProcessRunner.Run(InspectToolPath, [executable], timeout: TimeSpan.FromMinutes(1));
        Assert.AreEqual(0, inspect.ExitCode, $"oxidize-inspect failed:{inspect}");
        string? line = inspect.StandardOutput.Split('\n').FirstOrDefault(candidate => candidate.StartsWith("rid\t", StringComparison.Ordinal));
        Assert.IsNotNull(line, $"oxidize-inspect printed no rid line:{inspect}");
        return line["rid\t".Length..];
    }

    public static IReadOnlyDictionary<string, PackedEntry> Entries(string executable)
    {
        Assert.IsTrue(File.Exists(InspectToolPath), $"{InspectToolPath} does not exist: run ./build.sh first.");
        ProcessResult inspect = ProcessRunner.Run(InspectToolPath, [executable], timeout: TimeSpan.FromMinutes(1));
        Assert.AreEqual(0, inspect.ExitCode, $"oxidize-inspect failed:{inspect}");
        var entries = new Dictionary<string, PackedEntry>(StringComparer.Ordinal);
        foreach (string line in inspect.StandardOutput.Split('\n'))
        {
            // entry <name> <kind> <codec> <offset> <stored size> <original size> <sha256> [<dependency>,...]
            string[] fields = line.Split('\t');
            if (fields.Length < 8 || fields[0] != "entry")
            {
                continue;
            }
            entries[fields[1]] = new PackedEntry(
                fields[1],
                int.Parse(fields[2], CultureInfo.InvariantCulture),
                int.Parse(fields[3], CultureInfo.InvariantCulture),
                long.Parse(fields[6], CultureInfo.InvariantCulture),
                fields[7],
                fields.Length > 8 && fields[8].Length > 0 ? fields[8].Split(',') : [],
                long.Parse(fields[4], CultureInfo.InvariantCulture),
                long.Parse(fields[5], CultureInfo.InvariantCulture));
        }
        Assert.IsNotEmpty(entries, $"oxidize-inspect listed no entries:{inspect}");
        return entries;
    }

    /// <summary>One packed entry's bytes, decoded: `oxidize-inspect --extract` into a folder of its own under
    /// artifacts/e2e/extracted (the tool refuses an existing one), removed afterwards.</summary>
    public static byte[] ReadEntry(string executable, string name)
    {
        string folder = Path.Combine(RepoPaths.EndToEndFolder, "extracted", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.GetDirectoryName(folder)!);
        try
        {
            ProcessResult extract = ProcessRunner.Run(InspectToolPath, ["--extract", folder, executable], timeout: TimeSpan.FromMinutes(1));
            Assert.AreEqual(0, extract.ExitCode, $"oxidize-inspect --extract failed:{extract}");
            string path = Path.Combine(folder, name);
            Assert.IsTrue(File.Exists(path), $"{name} is not packed in {executable}:{extract}");
            return File.ReadAllBytes(path);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}

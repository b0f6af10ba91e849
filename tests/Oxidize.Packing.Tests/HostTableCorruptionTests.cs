using System.Buffers.Binary;

namespace Oxidize.Packing.Tests;

/// <summary>
/// The real host on executables damaged in the string and property tables, the parts of the index
/// HostCorruptionTests' bit flips do not reach: every flip ends in a documented exit code with the
/// two-line message, never a signal. (The payload carries no runtime, so even a flip the reader cannot
/// notice, a changed letter in a property value, stops at the documented "libcoreclr.so not packed".)
/// </summary>
[TestClass]
public sealed class HostTableCorruptionTests
{
    private static int[] DocumentedCodes => HostExitCodes.PayloadCodes;

    private static ulong U64(byte[] bytes, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(offset));

    private static uint U32(byte[] bytes, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset));

    /// <summary>Small() plus a native library with a dependency, so the dependency table is not empty either.</summary>
    private static byte[] ValidExecutable() => SampleManifests.Executable(
        SampleManifests.Small(
        [
            new PackedResource("libdep.so", ResourceKind.NativeLibrary, [0x7F, (byte)'E', (byte)'L', (byte)'F', 9]),
            new PackedResource("libuser.so", ResourceKind.NativeLibrary, [0x7F, (byte)'E', (byte)'L', (byte)'F', 8], ["libdep.so"]),
        ]),
        File.ReadAllBytes(RepoPaths.Host));

    private static void AssertEveryFlipIsReported(byte[] original, IEnumerable<int> positions, string table, int seed)
    {
        var random = new Random(seed);
        int runs = 0;
        foreach (int position in positions)
        {
            byte[] damaged = (byte[])original.Clone();
            int bit = random.Next(8);
            damaged[position] ^= (byte)(1 << bit);
            var result = NativeTool.Run(NativeTool.WriteExecutable(damaged, "app"));
            string because = $"{table}: flip of bit {bit} at byte {position} gave exit code {result.ExitCode} (a signal is 128+n)";
            Assert.IsTrue(DocumentedCodes.Contains(result.ExitCode), $"{because}\n{result.Stderr}");
            string[] lines = result.Stderr.TrimEnd('\n').Split('\n');
            Assert.HasCount(2, lines, $"{because}: stderr was\n{result.Stderr}");
            Assert.IsTrue(lines.All(line => line.StartsWith("oxidize: ", StringComparison.Ordinal)), $"{because}\n{result.Stderr}");
            runs++;
        }
        Assert.IsGreaterThan(16, runs, $"{table}: too few positions tried");
    }

    [TestMethod]
    public void EveryBitFlipInTheStringTableEndsInADocumentedCode()
    {
        byte[] executable = ValidExecutable();
        int payload = (int)U64(executable, executable.Length - FormatConstants.TrailerSize + FormatConstants.TrailerOffsetPayloadOffset);
        int strings = payload + (int)U64(executable, payload + FormatConstants.HeaderOffsetStringsOffset);
        int size = (int)U64(executable, payload + FormatConstants.HeaderOffsetStringsSize);
        // Every byte: names (order, NUL inside, length), the runtime version and RID, property keys and values.
        AssertEveryFlipIsReported(executable, Enumerable.Range(strings, size), "string table", 20261123);
    }

    [TestMethod]
    public void EveryBitFlipInThePropertyAndDependencyTablesEndsInADocumentedCode()
    {
        byte[] executable = ValidExecutable();
        int payload = (int)U64(executable, executable.Length - FormatConstants.TrailerSize + FormatConstants.TrailerOffsetPayloadOffset);
        int properties = payload + (int)U64(executable, payload + FormatConstants.HeaderOffsetPropertiesOffset);
        int propertyBytes = (int)U32(executable, payload + FormatConstants.HeaderOffsetPropertyCount) * FormatConstants.PropertySize;
        int dependencies = payload + (int)U64(executable, payload + FormatConstants.HeaderOffsetDependenciesOffset);
        int dependencyBytes = (int)U32(executable, payload + FormatConstants.HeaderOffsetDependencyCount) * FormatConstants.DependencySize;
        Assert.AreEqual(32, propertyBytes, "two properties");
        Assert.AreEqual(4, dependencyBytes, "one dependency");
        // Each byte twice, with different bits: offsets and lengths of every key and value, and the dependency index.
        var positions = Enumerable.Range(properties, propertyBytes).Concat(Enumerable.Range(dependencies, dependencyBytes));
        AssertEveryFlipIsReported(executable, positions.Concat(positions), "property and dependency tables", 20261124);
    }
}

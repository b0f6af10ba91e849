using System.Buffers.Binary;

namespace Oxidize.Packing.Tests;

/// <summary>
/// The real host on damaged executables: every case ends with a documented exit code and the
/// two-line message, never a signal. The payload carries no runtime, so even an undamaged one stops
/// at a documented code (libcoreclr.so not packed) without starting .NET.
/// </summary>
[TestClass]
public sealed class HostCorruptionTests
{
    private static int PayloadMissing => HostExitCodes.PayloadMissing;
    private static int PayloadCorrupt => HostExitCodes.PayloadCorrupt;
    private static int FormatUnsupported => HostExitCodes.FormatUnsupported;
    private static int RuntimeUnsupported => HostExitCodes.RuntimeUnsupported;
    private static int[] DocumentedCodes => HostExitCodes.PayloadCodes;

    private static byte[] HostBytes => File.ReadAllBytes(RepoPaths.Host);

    private static byte[] ValidExecutable() => SampleManifests.Executable(SampleManifests.Small(), HostBytes);

    private static int PayloadOffset(byte[] executable) =>
        (int)BinaryPrimitives.ReadUInt64LittleEndian(executable.AsSpan(executable.Length - FormatConstants.TrailerSize + FormatConstants.TrailerOffsetPayloadOffset));

    private static NativeTool.Result RunHost(byte[] executable) => NativeTool.Run(NativeTool.WriteExecutable(executable, "app"));

    private static void AssertDocumentedFailure(NativeTool.Result result, int expectedCode, string because)
    {
        Assert.AreEqual(expectedCode, result.ExitCode, $"{because}\n{result.Stderr}");
        AssertTwoLineMessage(result, because);
    }

    private static void AssertTwoLineMessage(NativeTool.Result result, string because)
    {
        string[] lines = result.Stderr.TrimEnd('\n').Split('\n');
        Assert.HasCount(2, lines, $"{because}: stderr was\n{result.Stderr}");
        Assert.IsTrue(lines.All(line => line.StartsWith("oxidize: ", StringComparison.Ordinal)), result.Stderr);
        StringAssert.Contains(lines[0], $"(exit code {result.ExitCode})");
    }

    [TestMethod]
    public void UndamagedPayloadWithoutRuntimeStopsAtMissingCoreclr()
    {
        var result = RunHost(ValidExecutable());
        AssertDocumentedFailure(result, PayloadCorrupt, "no libcoreclr.so is packed");
        StringAssert.Contains(result.Stderr, "libcoreclr.so");
    }

    [TestMethod]
    public void BareHostSaysItCarriesNoPayload()
    {
        var result = NativeTool.Run(RepoPaths.Host);
        AssertDocumentedFailure(result, PayloadMissing, "the host alone");
        StringAssert.Contains(result.Stderr, "no Oxidize payload");
    }

    [TestMethod]
    public void TruncationAtEveryStructuralBoundaryIsReported()
    {
        byte[] executable = ValidExecutable();
        int payload = PayloadOffset(executable);
        long entries = payload + FormatConstants.HeaderSize;
        int[] lengths =
        [
            payload, payload + 8, payload + 64, payload + FormatConstants.HeaderSize, (int)entries + FormatConstants.EntrySize,
            (int)entries + 3 * FormatConstants.EntrySize, executable.Length - FormatConstants.TrailerSize,
            executable.Length - FormatConstants.TrailerSize / 2, executable.Length - 1,
        ];
        foreach (int length in lengths)
            AssertDocumentedFailure(RunHost(executable[..length]), PayloadMissing, $"truncated to {length} bytes");
    }

    [TestMethod]
    public void UnknownFormatVersionIsRefused()
    {
        byte[] executable = ValidExecutable();
        BinaryPrimitives.WriteUInt32LittleEndian(executable.AsSpan(executable.Length - FormatConstants.TrailerSize + FormatConstants.TrailerOffsetFormatVersion), 2);
        AssertDocumentedFailure(RunHost(executable), FormatUnsupported, "trailer version 2");

        executable = ValidExecutable();
        BinaryPrimitives.WriteUInt32LittleEndian(executable.AsSpan(PayloadOffset(executable) + FormatConstants.HeaderOffsetFormatVersion), 2);
        AssertDocumentedFailure(RunHost(executable), FormatUnsupported, "header version 2");
    }

    [TestMethod]
    public void UnknownRuntimeContractIsRefusedWithTheRuntimeVersion()
    {
        byte[] executable = ValidExecutable();
        BinaryPrimitives.WriteUInt32LittleEndian(executable.AsSpan(PayloadOffset(executable) + FormatConstants.HeaderOffsetRuntimeContract), 11);
        var result = RunHost(executable);
        AssertDocumentedFailure(result, RuntimeUnsupported, "contract 11");
        StringAssert.Contains(result.Stderr, "10.0.12");
    }

    [TestMethod]
    public void EntryDataOutsideThePayloadIsRefused()
    {
        byte[] executable = ValidExecutable();
        int entry = PayloadOffset(executable) + FormatConstants.HeaderSize;
        BinaryPrimitives.WriteUInt64LittleEndian(executable.AsSpan(entry + FormatConstants.EntryOffsetDataOffset), ulong.MaxValue - 2);
        AssertDocumentedFailure(RunHost(executable), PayloadCorrupt, "data offset near 2^64 (overflow)");
    }

    [TestMethod]
    public void OutOfOrderEntriesAreRefused()
    {
        byte[] executable = ValidExecutable();
        int first = PayloadOffset(executable) + FormatConstants.HeaderSize;
        int second = first + FormatConstants.EntrySize;
        byte[] firstName = executable[first..(first + 8)];
        executable.AsSpan(second, 8).CopyTo(executable.AsSpan(first));
        firstName.CopyTo(executable, second);
        var result = RunHost(executable);
        AssertDocumentedFailure(result, PayloadCorrupt, "first two names swapped");
        StringAssert.Contains(result.Stderr, "out of order");
    }

    [TestMethod]
    [DataRow("../", "a '..' segment")]
    [DataRow("/", "an absolute name")]
    [DataRow("./", "a '.' segment")]
    public void NameThatIsNotARelativePathIsRefused(string prefix, string because)
    {
        byte[] executable = ValidExecutable();
        int entry = PayloadOffset(executable) + FormatConstants.HeaderSize;
        long strings = PayloadOffset(executable) + (long)BinaryPrimitives.ReadUInt64LittleEndian(
            executable.AsSpan(PayloadOffset(executable) + FormatConstants.HeaderOffsetStringsOffset));
        int name = (int)(strings + BinaryPrimitives.ReadUInt32LittleEndian(executable.AsSpan(entry + FormatConstants.EntryOffsetName)));
        // The first entry's name starts with these bytes instead; '.' and '/' sort below letters, so the order still holds.
        System.Text.Encoding.ASCII.GetBytes(prefix).CopyTo(executable, name);

        var result = RunHost(executable);

        AssertDocumentedFailure(result, PayloadCorrupt, because);
        StringAssert.Contains(result.Stderr, "is not a relative path");
    }

    [TestMethod]
    public void EveryBitFlipInTrailerHeaderAndIndexEndsInADocumentedCode()
    {
        byte[] original = ValidExecutable();
        int payload = PayloadOffset(original);
        int indexEnd = payload + FormatConstants.HeaderSize + 3 * FormatConstants.EntrySize;
        var positions = Enumerable.Range(original.Length - FormatConstants.TrailerSize, FormatConstants.TrailerSize)
            .Concat(Enumerable.Range(payload, indexEnd - payload));
        var random = new Random(20261122);
        int runs = 0;
        foreach (int position in positions)
        {
            // Every byte of trailer, header and entry table, one random bit each: 400+ runs of a host that stops early.
            byte[] damaged = (byte[])original.Clone();
            damaged[position] ^= (byte)(1 << random.Next(8));
            var result = RunHost(damaged);
            Assert.IsTrue(DocumentedCodes.Contains(result.ExitCode),
                $"flip at byte {position} gave exit code {result.ExitCode} (a signal is 128+n)\n{result.Stderr}");
            AssertTwoLineMessage(result, $"flip at byte {position}");
            runs++;
        }
        Assert.AreEqual(FormatConstants.TrailerSize + FormatConstants.HeaderSize + 3 * FormatConstants.EntrySize, runs);
    }
}

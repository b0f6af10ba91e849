using System.Text.RegularExpressions;

namespace Oxidize.Packing.Tests;

/// <summary>The host's exit codes, read from their one table, src/Oxidize.Host/host_status.h (which
/// HostExitCodesDocumentedTests checks against docs/errors.md), so tests name codes instead of repeating numbers.</summary>
internal static partial class HostExitCodes
{
    private static readonly Lazy<IReadOnlyDictionary<string, int>> Codes = new(() =>
        EnumEntry().Matches(File.ReadAllText(Path.Combine(RepoPaths.Root, "src", "Oxidize.Host", "host_status.h")))
            .ToDictionary(match => match.Groups[1].Value, match => int.Parse(match.Groups[2].Value)));

    public static int PayloadMissing => Of("PAYLOAD_MISSING");

    public static int PayloadCorrupt => Of("PAYLOAD_CORRUPT");

    public static int FormatUnsupported => Of("FORMAT_UNSUPPORTED");

    public static int RuntimeUnsupported => Of("RUNTIME_UNSUPPORTED");

    /// <summary>The codes a damaged payload may end in (docs/errors.md, 181-184).</summary>
    public static int[] PayloadCodes => [PayloadMissing, PayloadCorrupt, FormatUnsupported, RuntimeUnsupported];

    /// <summary>The value of HOST_EXIT_<paramref name="name"/>; fails when host_status.h has no such code.</summary>
    public static int Of(string name) =>
        Codes.Value.TryGetValue(name, out int code) ? code : throw new AssertFailedException($"host_status.h defines no HOST_EXIT_{name}");

    [GeneratedRegex(@"^\s*HOST_EXIT_(\w+)\s*=\s*(\d+)", RegexOptions.Multiline)]
    private static partial Regex EnumEntry();
}

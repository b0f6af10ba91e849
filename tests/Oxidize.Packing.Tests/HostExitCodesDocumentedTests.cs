using System.Text.RegularExpressions;

namespace Oxidize.Packing.Tests;

/// <summary>The host's exit codes (src/Oxidize.Host/host_status.h) and their table in docs/errors.md are one list: every
/// code the host can exit with is documented under its name, and the table names no code the host lacks.</summary>
[TestClass]
public sealed partial class HostExitCodesDocumentedTests
{
    [GeneratedRegex(@"^\s*HOST_EXIT_(\w+)\s*=\s*(\d+)", RegexOptions.Multiline)]
    private static partial Regex EnumEntry();

    [GeneratedRegex(@"^\| (\d+) \| (\w+) \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    [TestMethod]
    public void EveryHostExitCodeIsInDocsErrorsAndNoOtherIs()
    {
        string header = File.ReadAllText(Path.Combine(RepoPaths.Root, "src", "Oxidize.Host", "host_status.h"));
        var codes = EnumEntry().Matches(header).ToDictionary(match => int.Parse(match.Groups[2].Value), match => match.Groups[1].Value);
        Assert.IsGreaterThan(8, codes.Count, "the enum parser found too few codes");

        string errors = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "errors.md"));
        int start = errors.IndexOf("## Run time: host exit codes", StringComparison.Ordinal);
        Assert.IsGreaterThanOrEqualTo(0, start, "docs/errors.md has no host exit code section");
        int end = errors.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        string section = end < 0 ? errors[start..] : errors[start..end];
        var documented = TableRow().Matches(section).ToDictionary(match => int.Parse(match.Groups[1].Value), match => match.Groups[2].Value);

        foreach ((int code, string name) in codes)
        {
            Assert.IsTrue(documented.TryGetValue(code, out string? documentedName), $"docs/errors.md does not list host exit code {code} ({name})");
            Assert.AreEqual(name, documentedName, $"host exit code {code}");
        }
        foreach (int code in documented.Keys)
            Assert.IsTrue(codes.ContainsKey(code), $"docs/errors.md lists host exit code {code}, which host_status.h does not define");
    }
}

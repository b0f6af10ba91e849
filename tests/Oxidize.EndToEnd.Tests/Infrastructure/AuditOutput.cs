namespace Oxidize.EndToEnd.Tests.Infrastructure;

/// <summary>Reads the audit's diagnostics out of a `dotnet publish` log.</summary>
public static class AuditOutput
{
    /// <summary>The distinct log lines reporting <paramref name="code"/> as <paramref name="severity"/> ("error" or "warning").</summary>
    public static string[] Lines(ProcessResult publish, string severity, string code) =>
        [.. publish.Output.Split('\n').Where(line => line.Contains($"{severity} {code}:", StringComparison.Ordinal)).Select(line => line.Trim()).Distinct()];

    /// <summary>The one line reporting <paramref name="code"/> that names every one of <paramref name="words"/>; fails the test with the log otherwise.</summary>
    public static string Single(ProcessResult publish, string severity, string code, params string[] words)
    {
        string[] matching = [.. Lines(publish, severity, code).Where(line => words.All(word => line.Contains(word, StringComparison.Ordinal)))];
        Assert.HasCount(1, matching, $"Expected one {severity} {code} naming {string.Join(", ", words)}:{publish}");
        return matching[0];
    }

    /// <summary>Every audit code (OXSDK30xx) the log mentions.</summary>
    public static string[] Codes(ProcessResult publish) =>
        [.. System.Text.RegularExpressions.Regex.Matches(publish.Output, @"\b(?:error|warning) (OXSDK30\d\d):").Select(match => match.Groups[1].Value).Distinct().Order()];
}

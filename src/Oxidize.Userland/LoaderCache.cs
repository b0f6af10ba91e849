using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Oxidize.Userland;

/// <summary>
/// The dynamic loader's cache as `ldconfig -p` prints it: soname → path of the x86-64 libraries, in the loader's
/// search order (the first line for a name wins, as the loader takes the first).
/// </summary>
public static class LoaderCache
{
    private static readonly Regex Line = new(@"^\s*(?<name>\S+)\s+\((?<flags>[^)]*)\)\s+=>\s+(?<path>\S+)\s*$", RegexOptions.CultureInvariant);

    private static readonly string[] LdconfigPaths = ["/sbin/ldconfig", "/usr/sbin/ldconfig"];

    /// <summary>The x86-64 entries of <paramref name="ldconfigOutput"/>; other lines (the header, other ABIs) are skipped.</summary>
    public static Dictionary<string, string> Parse(string ldconfigOutput)
    {
        var cache = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in ldconfigOutput.Split('\n'))
        {
            Match match = Line.Match(line);
            if (match.Success && match.Groups["flags"].Value.Contains("x86-64", StringComparison.Ordinal))
                cache.TryAdd(match.Groups["name"].Value, match.Groups["path"].Value);
        }
        return cache;
    }

    /// <summary>Runs `ldconfig -p`; an empty cache and the reason when it is missing or cannot run (the caller then searches folders).</summary>
    public static (Dictionary<string, string> Cache, string? Failure) Read()
    {
        string? ldconfig = LdconfigPaths.FirstOrDefault(File.Exists);
        if (ldconfig is null)
            return ([], $"no ldconfig at {string.Join(" or ", LdconfigPaths)}");
        try
        {
            var startInfo = new ProcessStartInfo(ldconfig, "-p") { RedirectStandardOutput = true, UseShellExecute = false };
            using Process process = Process.Start(startInfo)!;
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (Parse(output), null);
        }
        catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or IOException)
        {
            return ([], $"{ldconfig} -p failed ({exception.Message})");
        }
    }
}

using System.Diagnostics;

namespace Oxidize.Tests.Shared;

/// <summary>What dpkg says is installed, as the expected side of the tests of the bill of materials' Debian components.</summary>
public static class DebianPackageVersions
{
    /// <summary>The installed version of <paramref name="package"/> for this machine's own architecture (or `all`). With
    /// foreign architectures added (arm64 for the cross tests), `dpkg-query -W libc6` lists one line per architecture.</summary>
    public static string Installed(string package)
    {
        string native = Query(["--print-architecture"], "dpkg").Trim();
        string[] lines = Query(["-W", "-f=${Architecture} ${Version}\n", package], "dpkg-query")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string? line = lines.FirstOrDefault(line => line.StartsWith(native + " ", StringComparison.Ordinal))
            ?? lines.FirstOrDefault(line => line.StartsWith("all ", StringComparison.Ordinal));
        return line?[(line.IndexOf(' ') + 1)..]
            ?? throw new InvalidOperationException($"dpkg-query lists no {native} or all version of {package}: {string.Join(" | ", lines)}");
    }

    private static string Query(string[] arguments, string program)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output;
    }
}

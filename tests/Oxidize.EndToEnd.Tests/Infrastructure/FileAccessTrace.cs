using System.Text.RegularExpressions;

namespace Oxidize.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Reads an `strace -f` log and lists the calls an oxidized app must not make: creating or writing files,
/// changing the directory tree, opening runtime files from disk, touching /tmp.
/// </summary>
public static partial class FileAccessTrace
{
    /// <summary>The syscalls that add, remove or rename directory entries, in every variant.</summary>
    private static readonly HashSet<string> TreeChangingCalls =
    [
        "mkdir", "mkdirat", "rmdir", "rename", "renameat", "renameat2", "unlink", "unlinkat",
        "link", "linkat", "symlink", "symlinkat", "mknod", "mknodat",
    ];

    private static readonly HashSet<string> OpenCalls = ["open", "openat", "openat2", "creat"];

    /// <summary>The lines of an `strace -f -o FILE` log that break a rule, each prefixed with the rule.</summary>
    /// <param name="appDirectory">The folder holding the app (the repo, in the tests): it and its ancestors may be looked up even
    /// under /tmp (a checkout can live there); nothing else under /tmp may be.</param>
    /// <param name="appNativeLibraries">File names of the app's own native libraries (NuGet's and the project's, e.g.
    /// libe_sqlite3.so, libgreet.so), which must come from the executable too: opening one from disk, under any of
    /// the names the runtime probes (libgreet.so, greet.so, libgreet, greet) and in any folder outside /proc and /dev,
    /// is a violation, as for the runtime's own libraries.</param>
    public static IReadOnlyList<string> FindViolations(
        IEnumerable<string> traceLines, string appDirectory = "/nonexistent", IEnumerable<string>? appNativeLibraries = null)
    {
        var violations = new List<string>();
        string appFolder = appDirectory.TrimEnd('/') + "/";
        var appLibraryStems = new HashSet<string>((appNativeLibraries ?? []).Select(LibraryStem), StringComparer.Ordinal);
        foreach (string line in traceLines)
        {
            string? violation = Check(line, appFolder, appLibraryStems);
            if (violation != null)
            {
                violations.Add($"{violation}: {line}");
            }
        }
        return violations;
    }

    private static string? Check(string line, string appFolder, HashSet<string> appLibraryStems)
    {
        // "<pid> name(args) = result", or "<pid> name(args <unfinished ...>" when another thread interleaves;
        // both carry the arguments. "<... name resumed>" lines carry only the result and are skipped.
        Match call = SyscallLine().Match(line);
        if (!call.Success)
        {
            return null;
        }
        string name = call.Groups["name"].Value;
        string arguments = call.Groups["arguments"].Value;
        string? path = FirstQuotedString(arguments, out string afterPath);

        if (name == "write")
        {
            return null; // its string is what the app printed, not a path
        }
        bool onTheWayToTheApp = path != null && (appFolder.StartsWith(path.TrimEnd('/') + "/", StringComparison.Ordinal)
            || path.StartsWith(appFolder, StringComparison.Ordinal));
        if (path != null && !onTheWayToTheApp && (path == "/tmp" || path.StartsWith("/tmp/", StringComparison.Ordinal)))
        {
            return "uses /tmp";
        }
        if (TreeChangingCalls.Contains(name))
        {
            return "changes the directory tree";
        }
        if (!OpenCalls.Contains(name) || path == null)
        {
            return null;
        }
        if (IsRuntimeFile(path))
        {
            return "opens a runtime file from disk";
        }
        bool underVirtualFileSystem = path.StartsWith("/proc/", StringComparison.Ordinal) || path.StartsWith("/dev/", StringComparison.Ordinal);
        if (!underVirtualFileSystem && appLibraryStems.Count > 0 && appLibraryStems.Contains(LibraryStem(Path.GetFileName(path))))
        {
            return "opens a native library of the app from disk";
        }
        // The runtime names its threads by writing /proc/self/task/N/comm; /dev/null and ttys are not files either.
        if (!underVirtualFileSystem && (name == "creat" || WritingFlags().IsMatch(afterPath)))
        {
            return "opens a file for writing";
        }
        return null;
    }

    /// <summary>Assemblies and the runtime pack's own native libraries must come from the executable.
    /// System libraries (libc.so.6, libstdc++.so.6, ...) are expected to be loaded from disk.</summary>
    private static bool IsRuntimeFile(string path)
    {
        string fileName = Path.GetFileName(path);
        return fileName.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) || RuntimePackLibrary().IsMatch(fileName);
    }

    /// <summary>"greet" for libgreet.so, greet.so, libgreet, greet and libgreet.so.1: the part the runtime's probing varies around.</summary>
    private static string LibraryStem(string fileName)
    {
        string stem = SharedObjectSuffix().Replace(fileName, "");
        return stem.StartsWith("lib", StringComparison.Ordinal) ? stem[3..] : stem;
    }

    /// <summary>The first "..." argument (a path for every call checked here) and the text after it (the flags).</summary>
    private static string? FirstQuotedString(string arguments, out string rest)
    {
        Match quoted = QuotedString().Match(arguments);
        rest = quoted.Success ? arguments[(quoted.Index + quoted.Length)..] : arguments;
        // Kept escaped as strace printed it: the paths checked here are plain ASCII.
        return quoted.Success ? quoted.Groups["text"].Value : null;
    }

    [GeneratedRegex(@"^(?:\[pid\s+)?\d+\]?\s+(?<name>\w+)\((?<arguments>.*)$")]
    private static partial Regex SyscallLine();

    [GeneratedRegex(@"\.so(\.\d+)*$")]
    private static partial Regex SharedObjectSuffix();

    [GeneratedRegex(@"""(?<text>(?:[^""\\]|\\.)*)""")]
    private static partial Regex QuotedString();

    [GeneratedRegex(@"\b(O_CREAT|O_WRONLY|O_RDWR|O_TRUNC)\b")]
    private static partial Regex WritingFlags();

    // The libraries the runtime itself is made of. Optional ones it probes for and copes without
    // (libcoreclrtraceptprovider.so, libmscordbi.so) are left out on purpose.
    [GeneratedRegex(@"^lib(coreclr|clrjit|hostfxr|hostpolicy|System\..+)\.so(\.\d+)*$")]
    private static partial Regex RuntimePackLibrary();
}

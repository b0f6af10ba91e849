using Oxidize.Tests.Shared;
using System.Diagnostics;

namespace Oxidize.Audit.Tests;

/// <summary>Builds the tests' native fixtures with the machine's gcc/g++ in a fresh temporary folder, and other scratch files.</summary>
internal static class Fixtures
{
    public static string NewDirectory()
    {
        return TestScratch.NewDirectory("audit");
    }

    /// <summary>Compiles <paramref name="source"/> (C, or C++ when <paramref name="compiler"/> is g++) into a shared library named <paramref name="name"/>, with that soname.</summary>
    public static byte[] SharedLibrary(string directory, string name, string source, string compiler = "gcc", params string[] extraArguments)
    {
        // ./build.sh installs both (eng/prerequisites.sh).
        if (!File.Exists(Path.Combine("/usr/bin", compiler)))
            Prerequisite.Missing(compiler);
        string extension = compiler == "g++" ? ".cpp" : ".c";
        string sourcePath = Path.Combine(directory, Path.GetFileNameWithoutExtension(name) + extension);
        File.WriteAllText(sourcePath, source);
        Run(compiler, directory, ["-shared", "-fPIC", "-O2", "-o", name, sourcePath, $"-Wl,-soname,{name}", .. extraArguments]);
        return File.ReadAllBytes(Path.Combine(directory, name));
    }

    public static string Run(string program, string directory, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.AreEqual(0, process.ExitCode, $"{program} {string.Join(' ', start.ArgumentList)} failed:\n{stderr}");
        return stdout.Result;
    }

    /// <summary>A library whose pthread_create binds to GLIBC_2.34 (glibc merged libpthread into libc in 2.34).</summary>
    public const string NeedsGlibc234 = """
        #include <pthread.h>
        static void *run(void *argument) { return argument; }
        int start_thread(void) { pthread_t thread; return pthread_create(&thread, 0, run, 0); }
        """;

    /// <summary>A library reading __libc_single_threaded, a data symbol new in GLIBC_2.32.</summary>
    public const string NeedsGlibc232 = """
        #include <sys/single_threaded.h>
        int is_single_threaded(void) { return __libc_single_threaded; }
        """;

    /// <summary>std::condition_variable::wait(unique_lock&amp;) is GLIBCXX_3.4.30 (GCC 12's libstdc++).</summary>
    public const string NeedsGlibcxx330 = """
        #include <condition_variable>
        #include <mutex>
        static std::mutex mutex; static std::condition_variable condition;
        extern "C" void wait_for(bool *flag) { std::unique_lock<std::mutex> lock(mutex); while (!*flag) condition.wait(lock); }
        """;

    public const string Plain = "int answer(void) { return 42; }\n";

    /// <summary>
    /// The native libraries of the .NET runtime running the tests (the shared runtime holds the same files
    /// as the linux-x64 runtime pack an oxidized app packs).
    /// </summary>
    /// <summary>The repository's root: the folder above this test assembly that holds Oxidize.Sdk.sln.</summary>
    public static string RepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Oxidize.Sdk.sln")))
                return directory.FullName;
        }
        throw new DirectoryNotFoundException($"No Oxidize.Sdk.sln above {AppContext.BaseDirectory}");
    }

    public static string RuntimeNativeDirectory()
    {
        string directory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        if (!File.Exists(Path.Combine(directory, "libcoreclr.so")))
            Prerequisite.Missing($"libcoreclr.so in {directory} (the .NET runtime)");
        return directory;
    }

    public static string SchemaDirectory => Path.Combine(AppContext.BaseDirectory, "Schemas");
}

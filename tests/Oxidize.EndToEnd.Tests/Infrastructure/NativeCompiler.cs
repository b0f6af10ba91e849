namespace Oxidize.EndToEnd.Tests.Infrastructure;

/// <summary>Builds a sample's own C libraries with the machine's gcc, as the sample's developer would.</summary>
public static class NativeCompiler
{
    /// <summary>`gcc -shared -fPIC -O2 -o OUTPUT SOURCE -Wl,-soname,OUTPUT EXTRA...` in <paramref name="directory"/>;
    /// fails the test with gcc's output when it does not compile.</summary>
    public static string SharedLibrary(string directory, string source, string output, params string[] extraArguments)
    {
        ProcessResult gcc = ProcessRunner.Run(
            "gcc",
            ["-shared", "-fPIC", "-O2", "-o", output, source, $"-Wl,-soname,{output}", .. extraArguments],
            workingDirectory: directory,
            timeout: TimeSpan.FromMinutes(2));
        Assert.AreEqual(0, gcc.ExitCode, $"Compiling {source} failed:{gcc}");
        return Path.Combine(directory, output);
    }
}

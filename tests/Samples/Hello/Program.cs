using System.Diagnostics;
using System.Runtime.InteropServices;

// Prints what an oxidized app can see of itself, echoes its arguments and one stdin line, and exits
// with the code given by "--exit-code N". "--throw" shows a stack trace (line numbers need the
// embedded PDB). "--jit-count" prints how many methods the JIT compiled (fewer when the app is ReadyToRun).
Console.WriteLine("Hello from an oxidized app!");
Console.WriteLine($"args: [{string.Join("|", args)}]");
Console.WriteLine($"stdin: {Console.In.ReadLine() ?? "<end of input>"}");
Console.WriteLine($"runtime: {RuntimeInformation.FrameworkDescription} {RuntimeInformation.RuntimeIdentifier}");
Console.WriteLine($"process: {Environment.ProcessPath}");
Console.WriteLine($"base directory: {AppContext.BaseDirectory}");
#pragma warning disable IL3000 // shown on purpose: Location is "" in a single-file app
Console.WriteLine($"assembly location: '{typeof(Program).Assembly.Location}'");
#pragma warning restore IL3000

int exitCodeIndex = Array.IndexOf(args, "--exit-code");
if (Array.IndexOf(args, "--throw") >= 0)
{
    try
    {
        Thrower.Throw();
    }
    catch (InvalidOperationException exception)
    {
        Console.WriteLine(new StackTrace(exception, fNeedFileInfo: true).ToString().Trim());
    }
}
if (Array.IndexOf(args, "--jit-count") >= 0)
    Console.WriteLine($"methods jitted: {System.Runtime.JitInfo.GetCompiledMethodCount()}");
return exitCodeIndex >= 0 && exitCodeIndex + 1 < args.Length ? int.Parse(args[exitCodeIndex + 1]) : 0;

static class Thrower
{
    public static void Throw() => throw new InvalidOperationException("thrown on purpose");
}

using System.Diagnostics;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

// What an app sees of itself in a hostile environment, one "key: value" line each, so the tests can compare
// an oxidized run with a normal framework-dependent one (`dotnet Robust.dll`):
//   info [ARGS...]              process path, base directory, cwd, HOME, GC mode, the arguments (count, SHA-256,
//                               code points of the first few), one line of stdin, and this process's open fds
//   signals handle|observe|none prints "ready", then waits for SIGTERM or SIGINT:
//                               handle:  PosixSignalRegistration(SIGTERM) and Console.CancelKeyPress cancel the
//                                        signal, and the app exits by itself with code 3
//                               observe: ProcessExit and CancelKeyPress handlers print, the default action follows
//                               none:    no handlers at all
//   children                    starts /bin/echo, /bin/ls listing the fds it inherited, and this executable itself
//   throw                       ends with an unhandled exception
//   load-by-path                loads this app's own assembly again by its path in the app folder (a new collectible
//                               AssemblyLoadContext, Assembly.LoadFile), then resolves itself with AssemblyDependencyResolver
//   report FILE [ARGS...]       info written to FILE, then 100 KB each to stdout and stderr (started with those
//                               closed and no /dev, they must neither fail nor overwrite the runtime's own files)
return args.FirstOrDefault() switch
{
    "info" => Info(args[1..]),
    "report" when args.Length >= 2 => Report(args[1], args[2..]),
    "load-by-path" => LoadByPath(),
    "signals" when args.Length == 2 => Signals(args[1]),
    "children" => Children(),
    "throw" => throw new InvalidOperationException("unhandled on purpose"),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Robust info [ARGS...] | signals handle|observe|none | children | throw | report FILE [ARGS...]");
    return 2;
}

static int LoadByPath()
{
    string path = Path.Combine(AppContext.BaseDirectory, "Robust.dll");
    var context = new System.Runtime.Loader.AssemblyLoadContext("by-path", isCollectible: true);
    System.Reflection.Assembly fromContext = context.LoadFromAssemblyPath(path);
    Console.WriteLine($"LoadFromAssemblyPath: {fromContext.GetName().Name}, a second copy: {fromContext != typeof(Program).Assembly}");
    System.Reflection.Assembly fromFile = System.Reflection.Assembly.LoadFile(path);
    Console.WriteLine($"LoadFile: {fromFile.GetName().Name}, a second copy: {fromFile != typeof(Program).Assembly}");
    try
    {
        var resolver = new System.Runtime.Loader.AssemblyDependencyResolver(path);
        string? resolved = resolver.ResolveAssemblyToPath(new System.Reflection.AssemblyName("Robust"));
        Console.WriteLine($"AssemblyDependencyResolver: {(resolved == null ? "<none>" : Path.GetRelativePath(AppContext.BaseDirectory, resolved))}");
    }
    catch (Exception exception)
    {
        Console.WriteLine($"AssemblyDependencyResolver: {exception.GetType().Name}");
    }
    context.Unload();
    return 0;
}

static int Report(string file, string[] arguments)
{
    TextWriter console = Console.Out;
    int code;
    using (var report = new StreamWriter(file))
    {
        Console.SetOut(report);
        code = Info(arguments);
        Console.SetOut(console);
    }
    Console.Out.Write(new string('o', 100_000));
    Console.Out.Flush();
    Console.Error.Write(new string('e', 100_000));
    Console.Error.Flush();
    File.AppendAllText(file, "after console writes: ok\n");
    return code;
}

static int Info(string[] arguments)
{
    Console.WriteLine($"process: {Environment.ProcessPath}");
    Console.WriteLine($"base directory: {AppContext.BaseDirectory}");
    Console.WriteLine($"cwd: {Environment.CurrentDirectory}");
    Console.WriteLine($"home: {Environment.GetEnvironmentVariable("HOME") ?? "<unset>"}");
    Console.WriteLine($"path: {Environment.GetEnvironmentVariable("PATH") ?? "<unset>"}");
    Console.WriteLine($"environment variables: {Environment.GetEnvironmentVariables().Count}");
    Console.WriteLine($"user profile: {Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)}");
    Console.WriteLine($"temp path: {Path.GetTempPath()}");
    Console.WriteLine($"server gc: {GCSettings.IsServerGC}");
    Console.WriteLine($"runtime: {RuntimeInformation.FrameworkDescription} {RuntimeInformation.RuntimeIdentifier}");
    Console.WriteLine($"args: {arguments.Length}");
    Console.WriteLine($"args chars: {arguments.Sum(argument => (long)argument.Length)}");
    Console.WriteLine($"args sha256: {Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", arguments))))}");
    for (int i = 0; i < Math.Min(arguments.Length, 4); i++)
    {
        Console.WriteLine($"arg {i}: {string.Join(' ', arguments[i].Take(32).Select(c => $"U+{(int)c:X4}"))}");
    }
    string stdin;
    try
    {
        stdin = Console.In.ReadLine() ?? "<end of input>";
    }
    catch (Exception exception)
    {
        stdin = $"<{exception.GetType().Name}: {exception.Message}>";
    }
    Console.WriteLine($"stdin: {stdin}");
    foreach (string fd in OpenFileDescriptors("/proc/self/fd"))
    {
        Console.WriteLine($"fd: {fd}");
    }
    return 0;
}

static int Signals(string mode)
{
    using var received = new ManualResetEventSlim();
    string? which = null;
    PosixSignalRegistration? terminate = null;
    if (mode == "handle")
    {
        terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            Console.WriteLine($"handler: {context.Signal}");
            context.Cancel = true;
            which = "SIGTERM";
            received.Set();
        });
    }
    if (mode is "handle" or "observe")
    {
        Console.CancelKeyPress += (_, e) =>
        {
            Console.WriteLine($"handler: CancelKeyPress {e.SpecialKey}");
            e.Cancel = mode == "handle";
            // Only a cancelled Ctrl+C wakes the main thread: in observe mode the default action ends the process, and
            // waking main as well raced it (exit 3 or 130, in the normal build too).
            if (e.Cancel)
            {
                which = "SIGINT";
                received.Set();
            }
        };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Console.WriteLine("handler: ProcessExit");
    }
    else if (mode != "none")
    {
        return Usage();
    }
    Console.WriteLine("ready");
    Console.Out.Flush();
    // The default action (observe, none) ends the process while it waits here.
    received.Wait(TimeSpan.FromMinutes(2));
    Console.WriteLine($"exiting by itself after {which ?? "no signal"}");
    terminate?.Dispose();
    return 3;
}

static int Children()
{
    using (Process echo = Start("/bin/echo", ["child says hi"], standardInput: null))
    {
        Console.WriteLine($"echo: {echo.StandardOutput.ReadToEnd().Trim()}");
        echo.WaitForExit();
        Console.WriteLine($"echo exit code: {echo.ExitCode}");
    }

    // ls lists the descriptors it inherited from this process, plus the one it opened to read the folder.
    using (Process listing = Start("/bin/ls", ["-l", "/proc/self/fd"], standardInput: null))
    {
        foreach (string line in listing.StandardOutput.ReadToEnd().Split('\n'))
        {
            int arrow = line.IndexOf(" -> ", StringComparison.Ordinal);
            if (arrow > 0)
            {
                string before = line[..arrow];
                Console.WriteLine($"child fd: {before[(before.LastIndexOf(' ') + 1)..]} -> {line[(arrow + 4)..]}");
            }
        }
        listing.WaitForExit();
        Console.WriteLine($"ls exit code: {listing.ExitCode}");
    }

    using (Process self = Start(Environment.ProcessPath!, ["info", "from parent"], standardInput: "parent's line\n"))
    {
        foreach (string line in self.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Console.WriteLine($"self: {line}");
        }
        self.WaitForExit();
        Console.WriteLine($"self exit code: {self.ExitCode}");
    }

    // What there would be to leak: this process's own descriptors (the executable, memfds of the runtime).
    foreach (string fd in OpenFileDescriptors("/proc/self/fd"))
    {
        Console.WriteLine($"own fd: {fd}");
    }
    return 0;
}

static Process Start(string fileName, string[] arguments, string? standardInput)
{
    var startInfo = new ProcessStartInfo(fileName)
    {
        RedirectStandardOutput = true,
        RedirectStandardInput = standardInput != null,
        UseShellExecute = false,
    };
    foreach (string argument in arguments)
    {
        startInfo.ArgumentList.Add(argument);
    }
    Process process = Process.Start(startInfo)!;
    if (standardInput != null)
    {
        process.StandardInput.Write(standardInput);
        process.StandardInput.Close();
    }
    return process;
}

// "N -> target" for each descriptor; the one used to read the folder itself shows up too.
static IEnumerable<string> OpenFileDescriptors(string folder)
{
    var descriptors = new List<string>();
    foreach (string entry in Directory.EnumerateFileSystemEntries(folder))
    {
        string target;
        try
        {
            target = new FileInfo(entry).LinkTarget ?? "?";
        }
        catch (IOException)
        {
            target = "<gone>";
        }
        descriptors.Add($"{Path.GetFileName(entry)} -> {target}");
    }
    return descriptors.OrderBy(d => int.Parse(d[..d.IndexOf(' ')], System.Globalization.CultureInfo.InvariantCulture));
}

using System.CommandLine;
using System.Globalization;
using System.Reflection;
using System.Resources;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Oxidize.Resources;

// `RealApp demo --name NAME --repeat N [--verbose]` exercises every kind of asset an app ships and prints
// one "label: value" line per check. A check that throws prints "FAILED <label>: <exception>" and the
// others still run; the exit code is the number of failed checks.
// `--wait-for FILE` first prints "waiting for FILE" and waits until FILE exists, loading nothing more until then
// (the tests replace the executable meanwhile: every check then loads its assemblies, libraries and files late);
// `--hold FILE` waits the same way after the checks (eng/bench/memory.sh measures the instances meanwhile).
// `RealApp dump-resource NAME` prints the length and SHA-256 of a content file read through Oxidize.Resources.

// Consulted for every DllImport of this assembly that the default probing has not resolved yet; only
// "greet-alias" is ours, everything else falls back to the default (IntPtr.Zero).
NativeLibrary.SetDllImportResolver(typeof(Program).Assembly, Native.Resolve);

var nameOption = new Option<string>("--name") { Description = "who to greet", DefaultValueFactory = _ => "nobody" };
var repeatOption = new Option<int>("--repeat", "-r") { Description = "how many greetings", DefaultValueFactory = _ => 1 };
var verboseOption = new Option<bool>("--verbose") { Description = "say more" };
// Off in the startup benchmark (eng/bench/startup.sh), where PublishSingleFile could not run them (below).
var directoriesOption = new Option<bool>("--directories") { Description = "also list the publish folder's files and folders" };
var waitForOption = new Option<string?>("--wait-for") { Description = "wait until this file exists before the checks" };
var holdOption = new Option<string?>("--hold") { Description = "wait until this file exists after the checks" };
var demo = new Command("demo", "run every check") { nameOption, repeatOption, verboseOption, directoriesOption, waitForOption, holdOption };
demo.SetAction(parseResult => Checks.WaitFor(parseResult.GetValue(waitForOption)) + Checks.RunAll(
    parseResult.GetValue(nameOption)!, parseResult.GetValue(repeatOption), parseResult.GetValue(verboseOption),
    parseResult.GetValue(directoriesOption)) + Checks.WaitFor(parseResult.GetValue(holdOption)));

var resourceArgument = new Argument<string>("name") { Description = "publish-relative path, e.g. data/greeting.txt" };
var dump = new Command("dump-resource", "print a content file's length and SHA-256") { resourceArgument };
dump.SetAction(parseResult => Checks.DumpResource(parseResult.GetValue(resourceArgument)!));

var root = new RootCommand("Oxidize end-to-end sample: a real app in one file") { demo, dump };
return root.Parse(args).Invoke();

static class Checks
{
    private static int failures;

    public static int RunAll(string name, int repeat, bool verbose, bool directories)
    {
        Check("commandline", () => $"command=demo name={name} repeat={repeat} verbose={verbose}");
        Check("sqlite", Sqlite);
        Check("sqlite version", () => Scalar("SELECT sqlite_version()"));
        Check("native DllImport(greet)", () => Native.Format(name));
        Check("native DllImport(libgreet.so)", () => Native.Twice(21).ToString(CultureInfo.InvariantCulture));
        Check("NativeLibrary.Load(name, assembly)", () => Native.AnswerThrough(
            NativeLibrary.Load("greet", typeof(Program).Assembly, null)));
        Check("NativeLibrary.TryLoad(name, assembly)", () => Native.AnswerThrough(
            NativeLibrary.TryLoad("greet", typeof(Program).Assembly, null, out IntPtr handle) ? handle : throw new DllNotFoundException("TryLoad returned false")));
        Check("NativeLibrary.Load(path)", () => Native.AnswerThrough(
            NativeLibrary.Load(Path.Combine(AppContext.BaseDirectory, "libgreet.so"))));
        Check("DllImportResolver", () => $"{Native.TwiceThroughResolver(42)} (resolver called for {string.Join(",", Native.ResolvedNames)})");
        Check("satellite fr", () => Satellite(new CultureInfo("fr")));
        Check("satellite neutral", () => Satellite(CultureInfo.InvariantCulture));
        Check("culture fr native name", () => new CultureInfo("fr-FR").NativeName);
        Check("resources oxidized", () => AppResources.IsOxidized.ToString());
        Check("resources list has data/greeting.txt", () => AppResources.List().Contains("data/greeting.txt").ToString());
        Check("resources exists", () => AppResources.Exists("data/greeting.txt").ToString());
        Check("resources exists (missing)", () => AppResources.Exists("data/missing.txt").ToString());
        Check("resources text", () => FirstLine(AppResources.GetText("data/greeting.txt")));
        Check("resources sha256", () => Sha256(AppResources.GetBytes("data/greeting.txt")));
        Check("resources stream sha256", () =>
        {
            using Stream stream = AppResources.Open("data/greeting.txt");
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        });
        string contentPath = Path.Combine(AppContext.BaseDirectory, "data", "greeting.txt");
        Check("file api exists", () => File.Exists(contentPath).ToString());
        Check("file api text", () => FirstLine(File.ReadAllText(contentPath)));
        Check("file api stream sha256", () =>
        {
            using var stream = new FileStream(contentPath, FileMode.Open, FileAccess.Read);
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        });
        if (directories)
        {
            CheckDirectories();
        }
        for (int i = 0; i < repeat; i++)
        {
            Console.WriteLine($"greeting {i + 1}: Hello, {name}!");
        }
        if (verbose)
        {
            Console.WriteLine($"base directory: {AppContext.BaseDirectory}");
        }
        Console.WriteLine($"checks failed: {failures}");
        return failures;
    }

    // Listing folders sees the publish folder as it was before packing (the host's app_directories.c).
    // PublishSingleFile keeps the satellite and the app's assembly inside its bundle, unlisted: skipped there.
    private static void CheckDirectories()
    {
        string baseDirectory = AppContext.BaseDirectory;
        if (!AppResources.IsOxidized && !File.Exists(Path.Combine(baseDirectory, "RealApp.dll")))
        {
            Console.WriteLine("directory checks: skipped (a .NET single-file bundle)");
            return;
        }
        Check("directory files data", () => string.Join(",", Directory.GetFiles(Path.Combine(baseDirectory, "data")).Select(Path.GetFileName)));
        Check("directory files fr", () => string.Join(",", Directory.EnumerateFiles(Path.Combine(baseDirectory, "fr")).Select(Path.GetFileName).Order(StringComparer.Ordinal)));
        Check("directory app has RealApp.dll and libgreet.so", () => (Directory.EnumerateFiles(baseDirectory, "RealApp.dll").Count() == 1
            && Directory.GetFiles(baseDirectory).Select(Path.GetFileName).Contains("libgreet.so")).ToString());
        Check("directory app folders have data and fr", () => new[] { "data", "fr" }.All(
            Directory.GetDirectories(baseDirectory).Select(Path.GetFileName).Contains).ToString());
        Check("directory info data", () => string.Join(",", new DirectoryInfo(Path.Combine(baseDirectory, "data")).EnumerateFileSystemInfos()
            .Select(info => $"{info.Name}:{(info as FileInfo)?.Length}")));
    }

    public static int WaitFor(string? file)
    {
        if (file == null)
        {
            return 0;
        }
        Console.WriteLine($"waiting for {file}");
        Console.Out.Flush();
        while (!File.Exists(file))
        {
            Thread.Sleep(50);
        }
        return 0;
    }

    public static int DumpResource(string name)
    {
        byte[] bytes = AppResources.GetBytes(name);
        Console.WriteLine($"oxidized: {AppResources.IsOxidized}");
        Console.WriteLine($"length: {bytes.Length}");
        Console.WriteLine($"sha256: {Sha256(bytes)}");
        using Stream stream = AppResources.Open(name);
        Console.WriteLine($"stream sha256: {Convert.ToHexStringLower(SHA256.HashData(stream))}");
        return 0;
    }

    private static void Check(string label, Func<string> check)
    {
        try
        {
            Console.WriteLine($"{label}: {check()}");
        }
        catch (Exception exception)
        {
            failures++;
            Console.WriteLine($"FAILED {label}: {exception}");
        }
    }

    private static string Sqlite()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        Execute(connection, "CREATE TABLE fruit (name TEXT NOT NULL, quantity INTEGER NOT NULL)");
        foreach ((string fruit, int quantity) in new[] { ("cherry", 30), ("apple", 10), ("banana", 20) })
        {
            using SqliteCommand insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO fruit (name, quantity) VALUES ($name, $quantity)";
            insert.Parameters.AddWithValue("$name", fruit);
            insert.Parameters.AddWithValue("$quantity", quantity);
            insert.ExecuteNonQuery();
        }
        using SqliteCommand query = connection.CreateCommand();
        query.CommandText = "SELECT name, quantity FROM fruit WHERE quantity >= $min ORDER BY name";
        query.Parameters.AddWithValue("$min", 15);
        var rows = new List<string>();
        using (SqliteDataReader reader = query.ExecuteReader())
        {
            while (reader.Read())
            {
                rows.Add($"{reader.GetString(0)}={reader.GetInt32(1)}");
            }
        }
        using SqliteCommand sum = connection.CreateCommand();
        sum.CommandText = "SELECT COUNT(*), SUM(quantity) FROM fruit";
        using SqliteDataReader totals = sum.ExecuteReader();
        totals.Read();
        return $"{totals.GetInt64(0)} rows, total {totals.GetInt64(1)}, quantity>=15: {string.Join(" ", rows)}";
    }

    private static string Scalar(string sql)
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture) ?? "<null>";
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string Satellite(CultureInfo culture)
    {
        CultureInfo.CurrentUICulture = culture;
        var resources = new ResourceManager("RealApp.Resources.Strings", typeof(Program).Assembly);
        return resources.GetString("Greeting") ?? "<no Greeting>";
    }

    private static string FirstLine(string text) => text.Split('\n')[0];

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}

static unsafe partial class Native
{
    public static readonly List<string> ResolvedNames = [];

    [DllImport("greet", EntryPoint = "greet_format")]
    private static extern int GreetFormat(byte* name, byte* buffer, int size);

    [DllImport("libgreet.so", EntryPoint = "greet_twice")]
    private static extern int GreetTwice(int value);

    // No library of this name exists: only the DllImportResolver knows it means libgreet.so.
    [DllImport("greet-alias", EntryPoint = "greet_twice")]
    private static extern int GreetTwiceThroughAlias(int value);

    public static string Format(string name)
    {
        byte[] utf8 = [.. System.Text.Encoding.UTF8.GetBytes(name), 0];
        byte* buffer = stackalloc byte[256];
        fixed (byte* namePointer = utf8)
        {
            int length = GreetFormat(namePointer, buffer, 256);
            return Marshal.PtrToStringUTF8((IntPtr)buffer, Math.Min(length, 255));
        }
    }

    public static int Twice(int value) => GreetTwice(value);

    public static int TwiceThroughResolver(int value) => GreetTwiceThroughAlias(value);

    public static string AnswerThrough(IntPtr library)
    {
        var answer = (delegate* unmanaged<int>)NativeLibrary.GetExport(library, "greet_answer");
        return answer().ToString(CultureInfo.InvariantCulture);
    }

    public static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != "greet-alias")
        {
            return IntPtr.Zero;
        }
        ResolvedNames.Add(libraryName);
        return NativeLibrary.Load("greet", assembly, searchPath);
    }
}

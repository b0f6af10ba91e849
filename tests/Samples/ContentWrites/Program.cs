// Uses packed content files through ordinary file APIs and prints one "label: value" line per step, or
// "FAILED label: Type: message" when a step throws (the other steps still run). Newlines in values print as "\n".
//   write                  creates a file in a packed folder, a folder in another, then writes, re-reads, appends to,
//                          truncates and rewrites data/ratings/products.json, and lists the folders
//   read                   prints products.json, data/override.txt, the folder listings and what the app's own
//                          assembly, libSystem.Native.so and runtimeconfig.json look like at their paths, and
//                          whether NativeLibrary.TryLoad finds libSystem.Native.so at its path
//   delete                 deletes data/ratings/products.json, moves data/override.txt, and reads products.json again
//   append-at MS TEXT      waits until the Unix time MS (milliseconds), then appends the line TEXT to products.json
//                          while holding it exclusively (FileShare.None: flock), so that every writer's line lands
//                          unless two writers wrote to two different files
//   --app-directory DIR ...  any of the above with DIR in place of AppContext.BaseDirectory (a symbolic link to it)
string baseDirectory = AppContext.BaseDirectory;
if (args.FirstOrDefault() == "--app-directory" && args.Length >= 2)
{
    baseDirectory = args[1];
    args = args[2..];
}
string data = Path.Combine(baseDirectory, "data");
string ratings = Path.Combine(data, "ratings");
string products = Path.Combine(ratings, "products.json");

switch (args.FirstOrDefault())
{
    case "write":
        Step("create in packed folder", () =>
        {
            File.WriteAllText(Path.Combine(data, "created.txt"), "created by the app\n");
            return File.ReadAllText(Path.Combine(data, "created.txt"));
        });
        Step("create folder in packed folder", () => Directory.CreateDirectory(Path.Combine(ratings, "archive")).Exists.ToString());
        Step("before", () => File.ReadAllText(products));
        Step("write", () =>
        {
            File.WriteAllText(products, "{\"products\":[{\"id\":1,\"rating\":5}]}\n");
            return File.ReadAllText(products);
        });
        Step("append", () =>
        {
            File.AppendAllText(products, "appended\n");
            return File.ReadAllText(products);
        });
        Step("truncate", () =>
        {
            using (new FileStream(products, FileMode.Truncate, FileAccess.Write)) { }
            return $"length {new FileInfo(products).Length}";
        });
        Step("rewrite", () =>
        {
            using (var stream = new FileStream(products, FileMode.Open, FileAccess.ReadWrite))
            using (var writer = new StreamWriter(stream))
                writer.Write("{\"products\":[{\"id\":1,\"rating\":4}]}\n");
            return File.ReadAllText(products);
        });
        Step("create new (exists)", () =>
        {
            using (new FileStream(Path.Combine(data, "override.txt"), FileMode.CreateNew)) { }
            return "created";
        });
        Listings();
        break;
    case "read":
        Step("products", () => File.ReadAllText(products));
        Step("override", () => File.ReadAllText(Path.Combine(data, "override.txt")));
        Listings();
        Step("assembly", () => Magic(Path.Combine(baseDirectory, "ContentWrites.dll")));
        Step("native library", () => Magic(Path.Combine(baseDirectory, "libSystem.Native.so")));
        Step("native library load", () => System.Runtime.InteropServices.NativeLibrary.TryLoad(Path.Combine(baseDirectory, "libSystem.Native.so"), out _) ? "loaded" : "not found");
        Step("runtimeconfig", () => File.ReadAllText(Path.Combine(baseDirectory, "ContentWrites.runtimeconfig.json")).Contains("runtimeOptions").ToString());
        break;
    case "delete":
        Step("delete", () =>
        {
            File.Delete(products);
            return "deleted";
        });
        Step("move", () =>
        {
            File.Move(Path.Combine(data, "override.txt"), Path.Combine(data, "moved.txt"));
            return "moved";
        });
        Step("products", () => File.ReadAllText(products));
        break;
    case "append-at":
        long start = long.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
        while (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() < start)
            Thread.SpinWait(1000);
        Step("append-at", () => AppendUnderLock(products, args[2] + "\n"));
        break;
    default:
        Console.Error.WriteLine("usage: ContentWrites write|read|delete|append-at MS TEXT");
        return 2;
}
return 0;

void Listings()
{
    Step("listing data", () => string.Join(",", Directory.EnumerateFileSystemEntries(data).Select(Path.GetFileName).Order(StringComparer.Ordinal)));
    Step("listing ratings", () => string.Join(",", new DirectoryInfo(ratings).EnumerateFiles()
        .Select(file => $"{file.Name}:{file.Length}").Order(StringComparer.Ordinal)));
}

// FileMode.Append seeks to the end when the file is opened, so concurrent appends may overwrite each other even on
// an ordinary file: take the file's lock first (retrying while another process holds it), then seek and write.
static string AppendUnderLock(string path, string text)
{
    var deadline = DateTime.UtcNow.AddSeconds(60);
    while (true)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            stream.Seek(0, SeekOrigin.End);
            stream.Write(System.Text.Encoding.UTF8.GetBytes(text));
            return "appended";
        }
        catch (IOException) when (DateTime.UtcNow < deadline)
        {
            Thread.Sleep(5); // locked by another writer
        }
    }
}

// The first four bytes of a file as text: "MZ" for an assembly, "ELF" for a native library.
static string Magic(string path)
{
    byte[] bytes = File.ReadAllBytes(path);
    return new string(bytes.Take(4).Select(b => b is >= 0x20 and < 0x7F ? (char)b : '.').ToArray());
}

static void Step(string label, Func<string> step)
{
    try
    {
        Console.WriteLine($"{label}: {step().Replace("\n", "\\n")}");
    }
    catch (Exception exception)
    {
        Console.WriteLine($"FAILED {label}: {exception.GetType().Name}: {exception.Message}");
    }
}

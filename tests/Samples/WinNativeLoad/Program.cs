// Exercises what a DLL loaded from memory must support, one line each, and exits with 42 (checked by the test).
// Under Wine 8 a second exception thrown through MethodInfo.Invoke on one thread hangs: this app throws one, directly.
using System.IO.Compression;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

Console.WriteLine($"args: {string.Join("|", args)}");

// A managed exception: the runtime's own unwinder walks frames of coreclr.dll.
try
{
    throw new InvalidOperationException("thrown and caught");
}
catch (InvalidOperationException exception)
{
    Console.WriteLine($"exception: {exception.Message}");
}

// A second thread: the runtime's thread-local state (implicit TLS of coreclr.dll) on a thread created later.
int fromThread = 0;
var thread = new Thread(() => fromThread = Environment.CurrentManagedThreadId);
thread.Start();
thread.Join();
Console.WriteLine($"thread: {(fromThread != Environment.CurrentManagedThreadId ? "ran" : "did not run")}");

// System.IO.Compression.Native.dll, found by the runtime's DllImport probing (LoadLibraryExW).
byte[] text = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("oxidize ", 1000)));
var compressed = new MemoryStream();
using (var zip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
    zip.Write(text);
long compressedLength = compressed.Length;
compressed.Position = 0;
var roundTrip = new MemoryStream();
using (var unzip = new GZipStream(compressed, CompressionMode.Decompress))
    unzip.CopyTo(roundTrip);
Console.WriteLine($"gzip: {text.Length} -> {compressedLength} -> {roundTrip.Length}");

// SQLite's e_sqlite3.dll from a NuGet package.
using (var connection = new SqliteConnection("Data Source=:memory:"))
{
    connection.Open();
    using var command = connection.CreateCommand();
    command.CommandText = "select sqlite_version() || ' ' || (6 * 7)";
    Console.WriteLine($"sqlite: {command.ExecuteScalar()}");
}

Console.WriteLine($"runtime: {RuntimeInformation.FrameworkDescription} {RuntimeInformation.RuntimeIdentifier}");
return 42;

using System.Runtime.InteropServices;
using System.Text;

// Prints what libbinding.so's imports bound to (see native/binding.c), and whether the library runs mapped from the
// executable or from a memfd copy.
var buffer = new byte[1024];
int length = Native.Report(Path.Combine(AppContext.BaseDirectory, "data", "binding.txt"), buffer, buffer.Length);
Console.WriteLine(Encoding.UTF8.GetString(buffer, 0, Math.Min(length, buffer.Length - 1)));
bool copied = File.ReadLines("/proc/self/maps").Any(line => line.Contains("/memfd:libbinding.so", StringComparison.Ordinal));
Console.WriteLine($"libbinding.so copied into a memfd: {copied}");

internal static partial class Native
{
    [LibraryImport("binding", EntryPoint = "binding_report", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Report(string dataPath, byte[] buffer, int size);
}

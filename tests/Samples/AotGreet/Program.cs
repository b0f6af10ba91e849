using System.Runtime.InteropServices;
using System.Text;

// Calls its own native library three ways; libgreet.so needs libgreetdep.so, which the app never names.
var buffer = new byte[128];
int length = Native.Format("aot", buffer, buffer.Length);
Console.WriteLine($"DllImport: {Encoding.UTF8.GetString(buffer, 0, length)}");
Console.WriteLine($"NativeLibrary.Load by name: {(NativeLibrary.TryLoad("greet", typeof(Native).Assembly, null, out _) ? "loaded" : "not found")}");
IntPtr byPath = NativeLibrary.Load(Path.Combine(AppContext.BaseDirectory, "libgreet.so"));
unsafe
{
    var twice = (delegate* unmanaged<int, int>)NativeLibrary.GetExport(byPath, "greet_twice");
    Console.WriteLine($"NativeLibrary.Load by path: greet_twice(21) = {twice(21)}");
}
return 0;

static partial class Native
{
    [LibraryImport("greet", EntryPoint = "greet_format", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Format(string name, byte[] buffer, int size);
}
